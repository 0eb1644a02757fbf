# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_agent_rooms_doctor_global_optspecs
    string join \n format= json color= v/verbose timeout= offline strict wait= deep home= api-url= token-file= host= allow= skip= o/output= h/help V/version
end

function __fish_agent_rooms_doctor_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_agent_rooms_doctor_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_agent_rooms_doctor_using_subcommand
    set -l cmd (__fish_agent_rooms_doctor_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l format -d 'Output format' -r -f -a "human\t''
json\t''
markdown\t''
junit\t''
github\t''
prometheus\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -s V -l version -d 'Print version'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "check" -d 'Run all checks, or the named ones'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "listener" -d 'Is `agent-rooms watch` running, once, as the right user, and alive? (more check ids may follow)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "device" -d 'Is this device paired, and does the server still know it? (more check ids may follow)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "host" -d 'Is the host CLI on the listener\'s PATH, able to start, and logged in for its user? (more check ids may follow)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "token" -d 'Is the agent-rooms token present, unexpired and accepted by the API? (more check ids may follow)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "api" -d 'Can the API be reached, and does it answer properly? (more check ids may follow)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "logs" -d 'Has the listener met API errors lately? (more check ids may follow)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "replay" -d 'Judge a bundle\'s recorded facts again by this version\'s rules (probes nothing)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "explain" -d 'Explain an API error code or finding code: its meaning and what to do'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "list" -d 'List the check ids, their titles and what each inspects'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "report" -d 'A support bundle: every check, versions, system, files and listeners; nothing secret'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "fix" -d 'Run the safe remedies, asking y/N for each (the one command that changes anything)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "diff" -d 'Compare two support bundles along the wake chain (probes nothing)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l format -d 'Output format' -r -f -a "human\t''
json\t''
markdown\t''
junit\t''
github\t''
prometheus\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l format -d 'Output format' -r -f -a "human\t''
json\t''
markdown\t''
junit\t''
github\t''
prometheus\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l format -d 'Output format' -r -f -a "human\t''
json\t''
markdown\t''
junit\t''
github\t''
prometheus\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l format -d 'Output format' -r -f -a "human\t''
json\t''
markdown\t''
junit\t''
github\t''
prometheus\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l format -d 'Output format' -r -f -a "human\t''
json\t''
markdown\t''
junit\t''
github\t''
prometheus\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l format -d 'Output format' -r -f -a "human\t''
json\t''
markdown\t''
junit\t''
github\t''
prometheus\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l format -d 'Output format' -r -f -a "human\t''
json\t''
markdown\t''
junit\t''
github\t''
prometheus\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l format -d 'Output format' -r -f -a "human\t''
json\t''
markdown\t''
junit\t''
github\t''
prometheus\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand replay" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l all -d 'Explain every code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l format -d 'Output format' -r -f -a "human\t''
json\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand list" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l format -d 'Output format' -r -f -a "human\t''
markdown\t''
json\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l force -d 'Overwrite the --output FILE if it exists (the bundle is written with mode 0600, and never over a file without this)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand report" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l format -d 'Output format' -r -f -a "human\t''
json\t''
markdown\t''
junit\t''
github\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l dry-run -d 'Print the plan as a shell script and change nothing'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l yes -d 'Run every step without asking (needed off a terminal)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand fix" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l format -d 'Output format' -r -f -a "human\t''
markdown\t''
json\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand diff" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l format -d 'Output format' -r -f -a "human\t''
json\t''
markdown\t''
junit\t''
github\t''
prometheus\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l color -d 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l timeout -d 'Bound on the whole run, in seconds' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l wait -d 'Re-run the checks until none fails or SECS have passed (the last run\'s outcome and exit code stand; progress goes to stderr)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l home -d 'The agent-rooms home to inspect (default: the running listener\'s, else your own)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l api-url -d 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l token-file -d 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l host -d 'The host CLI the agent uses' -r -f -a "codex\t''
claude\t''
gemini\t''
cursor\t''
copilot\t''
cursor-agent\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l allow -d 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)' -r
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l skip -d 'Do not run this check (repeatable)' -r -f -a "listener\t''
device\t''
host\t''
token\t''
api\t''
logs\t''"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -s o -l output -d 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout' -r -F
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l json -d 'Same as --format json'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -s v -l verbose -d 'Show each check\'s facts too'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l offline -d 'Make no network request (the network checks are skipped)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l strict -d 'Treat warnings as failures for the exit code'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -l deep -d 'Also run the host CLI\'s own doctor (codex doctor --json) as the listener\'s user; it reaches the model provider\'s network, so it is off by default (give a longer --timeout)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -s h -l help -d 'Print help'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "check" -d 'Run all checks, or the named ones'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "listener" -d 'Is `agent-rooms watch` running, once, as the right user, and alive? (more check ids may follow)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "device" -d 'Is this device paired, and does the server still know it? (more check ids may follow)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "host" -d 'Is the host CLI on the listener\'s PATH, able to start, and logged in for its user? (more check ids may follow)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "token" -d 'Is the agent-rooms token present, unexpired and accepted by the API? (more check ids may follow)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "api" -d 'Can the API be reached, and does it answer properly? (more check ids may follow)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "logs" -d 'Has the listener met API errors lately? (more check ids may follow)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "replay" -d 'Judge a bundle\'s recorded facts again by this version\'s rules (probes nothing)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "explain" -d 'Explain an API error code or finding code: its meaning and what to do'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "list" -d 'List the check ids, their titles and what each inspects'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "report" -d 'A support bundle: every check, versions, system, files and listeners; nothing secret'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "fix" -d 'Run the safe remedies, asking y/N for each (the one command that changes anything)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "diff" -d 'Compare two support bundles along the wake chain (probes nothing)'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "completions" -d 'Print shell completions'
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand help; and not __fish_seen_subcommand_from check listener device host token api logs replay explain list report fix diff completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'

# The values of each subcommand's positional arguments (added by agent-rooms-doctor).
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand check" -f -a "listener device host token api logs"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand listener" -f -a "listener device host token api logs"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand device" -f -a "listener device host token api logs"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand host" -f -a "listener device host token api logs"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand token" -f -a "listener device host token api logs"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand api" -f -a "listener device host token api logs"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand logs" -f -a "listener device host token api logs"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand explain" -f -a "INVALID_PASSPORT IDENTITY_REQUIRED REVOKED FORBIDDEN_SCOPE FORBIDDEN NOT_A_MEMBER NO_GRANT THREAD_NOT_ACTIVE UPLOAD_NOT_COMPLETE CONSTRAINED_RUNTIME_REQUIRED UPGRADE_REQUIRED RATE_LIMITED NOT_FOUND VALIDATION CONFLICT INTERNAL already_claimed LISTENER_NOT_RUNNING LISTENER_DUPLICATE LISTENER_OTHER_USER LISTENER_STALE_HEARTBEAT LISTENER_DISCONNECTED LISTENER_UNSEEN LISTENER_CRASHED LISTENER_NOT_ENABLED LISTENER_STOPPED LISTENER_OUTDATED LISTENER_TLS_UNVERIFIED LISTENER_NO_LINGER HOME_NOT_FOUND HOST_SELF_CHECK DEVICE_NOT_PAIRED DEVICE_UNKNOWN_TO_SERVER DEVICE_ACTIVE_ELSEWHERE HOST_NOT_CONFIGURED HOST_NOT_FOUND HOST_INTERPRETER_MISSING HOST_CANNOT_START HOST_NOT_LOGGED_IN HOST_LOGGED_IN_OTHER_USER HOST_LOGIN_UNVERIFIED TOKEN_MISSING TOKEN_MALFORMED TOKEN_EXPIRED TOKEN_EXPIRING_SOON TOKEN_FILE_TOO_OPEN TOKEN_LISTENER_MISMATCH API_URL_MISSING API_URL_WRONG API_INSECURE_URL API_UNREACHABLE API_BAD_RESPONSE CLOCK_SKEW CONFIG_INVALID NOT_READABLE CHECK_TIMED_OUT NOTHING_CHECKED INTERNAL_ERROR"
complete -c agent-rooms-doctor -n "__fish_agent_rooms_doctor_using_subcommand completions" -f -a "bash elvish fish powershell zsh"
