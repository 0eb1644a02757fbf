//! The binary: parse → run → exit code. Everything else is in the library.

fn main() -> std::process::ExitCode {
    agent_rooms_doctor::app::main()
}
