
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'agent-rooms-doctor' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'agent-rooms-doctor'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'agent-rooms-doctor' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run all checks, or the named ones')
            [CompletionResult]::new('listener', 'listener', [CompletionResultType]::ParameterValue, 'Is `agent-rooms watch` running, once, as the right user, and alive? (more check ids may follow)')
            [CompletionResult]::new('device', 'device', [CompletionResultType]::ParameterValue, 'Is this device paired, and does the server still know it? (more check ids may follow)')
            [CompletionResult]::new('host', 'host', [CompletionResultType]::ParameterValue, 'Is the host CLI on the listener''s PATH, able to start, and logged in for its user? (more check ids may follow)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Is the agent-rooms token present, unexpired and accepted by the API? (more check ids may follow)')
            [CompletionResult]::new('api', 'api', [CompletionResultType]::ParameterValue, 'Can the API be reached, and does it answer properly? (more check ids may follow)')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Has the listener met API errors lately? (more check ids may follow)')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Judge a bundle''s recorded facts again by this version''s rules (probes nothing)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain an API error code or finding code: its meaning and what to do')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the check ids, their titles and what each inspects')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'A support bundle: every check, versions, system, files and listeners; nothing secret')
            [CompletionResult]::new('fix', 'fix', [CompletionResultType]::ParameterValue, 'Run the safe remedies, asking y/N for each (the one command that changes anything)')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two support bundles along the wake chain (probes nothing)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agent-rooms-doctor;check' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;listener' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;device' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;host' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;token' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;api' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;logs' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;replay' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;explain' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Explain every code')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;report' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite the --output FILE if it exists (the bundle is written with mode 0600, and never over a file without this)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;fix' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan as a shell script and change nothing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Run every step without asking (needed off a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;diff' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;completions' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (auto: off with NO_COLOR, CLICOLOR=0 or TERM=dumb, on with CLICOLOR_FORCE or FORCE_COLOR, else on a terminal only)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on the whole run, in seconds')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Re-run the checks until none fails or SECS have passed (the last run''s outcome and exit code stand; progress goes to stderr)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'The agent-rooms home to inspect (default: the running listener''s, else your own)')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'The API base URL (overrides AGENT_ROOMS_API_URL and config.json)')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'The file to read the token from (over AGENT_ROOMS_TOKEN and config.json)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The host CLI the agent uses')
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Accept a known finding (CODE, or CODE@YYYY-MM-DD until that day): it stays visible, marked, and does not count against the exit code or --strict (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Do not run this check (repeatable)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the document to FILE instead of stdout, atomically (a temporary file beside it, renamed into place; never through a symbolic link); `-` is stdout')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Same as --format json')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each check''s facts too')
            [CompletionResult]::new('--offline', '--offline', [CompletionResultType]::ParameterName, 'Make no network request (the network checks are skipped)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings as failures for the exit code')
            [CompletionResult]::new('--deep', '--deep', [CompletionResultType]::ParameterName, 'Also run the host CLI''s own doctor (codex doctor --json) as the listener''s user; it reaches the model provider''s network, so it is off by default (give a longer --timeout)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'agent-rooms-doctor;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run all checks, or the named ones')
            [CompletionResult]::new('listener', 'listener', [CompletionResultType]::ParameterValue, 'Is `agent-rooms watch` running, once, as the right user, and alive? (more check ids may follow)')
            [CompletionResult]::new('device', 'device', [CompletionResultType]::ParameterValue, 'Is this device paired, and does the server still know it? (more check ids may follow)')
            [CompletionResult]::new('host', 'host', [CompletionResultType]::ParameterValue, 'Is the host CLI on the listener''s PATH, able to start, and logged in for its user? (more check ids may follow)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Is the agent-rooms token present, unexpired and accepted by the API? (more check ids may follow)')
            [CompletionResult]::new('api', 'api', [CompletionResultType]::ParameterValue, 'Can the API be reached, and does it answer properly? (more check ids may follow)')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Has the listener met API errors lately? (more check ids may follow)')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Judge a bundle''s recorded facts again by this version''s rules (probes nothing)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain an API error code or finding code: its meaning and what to do')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the check ids, their titles and what each inspects')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'A support bundle: every check, versions, system, files and listeners; nothing secret')
            [CompletionResult]::new('fix', 'fix', [CompletionResultType]::ParameterValue, 'Run the safe remedies, asking y/N for each (the one command that changes anything)')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two support bundles along the wake chain (probes nothing)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'agent-rooms-doctor;help;check' {
            break
        }
        'agent-rooms-doctor;help;listener' {
            break
        }
        'agent-rooms-doctor;help;device' {
            break
        }
        'agent-rooms-doctor;help;host' {
            break
        }
        'agent-rooms-doctor;help;token' {
            break
        }
        'agent-rooms-doctor;help;api' {
            break
        }
        'agent-rooms-doctor;help;logs' {
            break
        }
        'agent-rooms-doctor;help;replay' {
            break
        }
        'agent-rooms-doctor;help;explain' {
            break
        }
        'agent-rooms-doctor;help;list' {
            break
        }
        'agent-rooms-doctor;help;report' {
            break
        }
        'agent-rooms-doctor;help;fix' {
            break
        }
        'agent-rooms-doctor;help;diff' {
            break
        }
        'agent-rooms-doctor;help;completions' {
            break
        }
        'agent-rooms-doctor;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
