
use builtin;
use str;

set edit:completion:arg-completer[agent-rooms-doctor] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'agent-rooms-doctor'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'agent-rooms-doctor'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand check 'Run all checks, or the named ones'
            cand listener 'Is `agent-rooms watch` running, once, as the right user, and alive? (more check ids may follow)'
            cand device 'Is this device paired, and does the server still know it? (more check ids may follow)'
            cand host 'Is the host CLI on the listener''s PATH, able to start, and logged in for its user? (more check ids may follow)'
            cand token 'Is the agent-rooms token present, unexpired and accepted by the API? (more check ids may follow)'
            cand api 'Can the API be reached, and does it answer properly? (more check ids may follow)'
            cand logs 'Has the listener met API errors lately? (more check ids may follow)'
            cand replay 'Judge a bundle''s recorded facts again by this version''s rules (probes nothing)'
            cand explain 'Explain an API error code or finding code: its meaning and what to do'
            cand list 'List the check ids, their titles and what each inspects'
            cand report 'A support bundle: every check, versions, system, files and listeners; nothing secret'
            cand fix 'Run the safe remedies, asking y/N for each (the one command that changes anything)'
            cand diff 'Compare two support bundles along the wake chain (probes nothing)'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agent-rooms-doctor;check'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;listener'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;device'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;host'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;token'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;api'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;logs'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;replay'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;explain'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --all 'Explain every code'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;list'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;report'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --force 'Overwrite the --output FILE if it exists (the bundle is written with mode 0600, and never over a file without this)'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;fix'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --dry-run 'Print the plan as a shell script and change nothing'
            cand --yes 'Run every step without asking (needed off a terminal)'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;diff'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;completions'= {
            cand --format 'Output format'
            cand --color 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)'
            cand --timeout 'Bound on the whole run, in seconds'
            cand --wait 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)'
            cand --home 'The agent-rooms home to inspect (default: the running listener''s, else your own)'
            cand --api-url 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)'
            cand --token-file 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)'
            cand --host 'The host CLI the agent uses'
            cand --skip 'Do not run this check (repeatable)'
            cand -o 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --output 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout'
            cand --json 'Same as --format json'
            cand -v 'Show each check''s facts too'
            cand --verbose 'Show each check''s facts too'
            cand --offline 'Make no network request (the network checks are skipped)'
            cand --strict 'Treat warnings as failures for the exit code'
            cand --deep 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'agent-rooms-doctor;help'= {
            cand check 'Run all checks, or the named ones'
            cand listener 'Is `agent-rooms watch` running, once, as the right user, and alive? (more check ids may follow)'
            cand device 'Is this device paired, and does the server still know it? (more check ids may follow)'
            cand host 'Is the host CLI on the listener''s PATH, able to start, and logged in for its user? (more check ids may follow)'
            cand token 'Is the agent-rooms token present, unexpired and accepted by the API? (more check ids may follow)'
            cand api 'Can the API be reached, and does it answer properly? (more check ids may follow)'
            cand logs 'Has the listener met API errors lately? (more check ids may follow)'
            cand replay 'Judge a bundle''s recorded facts again by this version''s rules (probes nothing)'
            cand explain 'Explain an API error code or finding code: its meaning and what to do'
            cand list 'List the check ids, their titles and what each inspects'
            cand report 'A support bundle: every check, versions, system, files and listeners; nothing secret'
            cand fix 'Run the safe remedies, asking y/N for each (the one command that changes anything)'
            cand diff 'Compare two support bundles along the wake chain (probes nothing)'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'agent-rooms-doctor;help;check'= {
        }
        &'agent-rooms-doctor;help;listener'= {
        }
        &'agent-rooms-doctor;help;device'= {
        }
        &'agent-rooms-doctor;help;host'= {
        }
        &'agent-rooms-doctor;help;token'= {
        }
        &'agent-rooms-doctor;help;api'= {
        }
        &'agent-rooms-doctor;help;logs'= {
        }
        &'agent-rooms-doctor;help;replay'= {
        }
        &'agent-rooms-doctor;help;explain'= {
        }
        &'agent-rooms-doctor;help;list'= {
        }
        &'agent-rooms-doctor;help;report'= {
        }
        &'agent-rooms-doctor;help;fix'= {
        }
        &'agent-rooms-doctor;help;diff'= {
        }
        &'agent-rooms-doctor;help;completions'= {
        }
        &'agent-rooms-doctor;help;help'= {
        }
    ]
    $completions[$command]
}
