/** The CLI as a function of argv and streams, so tests run it without a process. */
import { diagnoseCommand } from "./diagnose-command";
import { generateCommand } from "./generate-command";
import { CliError, type CliIo } from "./io";
import { rotateCommand } from "./rotate-command";

const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => Promise<number>> = {
  generate: generateCommand,
  diagnose: diagnoseCommand,
  rotate: rotateCommand,
};

const USAGE = `Usage: pushgateway-auth <command> [flags]

Commands:
  generate   write values.yaml, Secrets and ServiceMonitor for basic auth (--help for flags)
  diagnose   list why Prometheus gets 401 from an existing setup's files (--help for flags)
  rotate     plan a scrape password rotation with no 401 window, phase by phase (--help for flags)
`;

/** Runs a command; returns the process exit code and never throws for user errors. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(name && name !== "--help" ? `pushgateway-auth: unknown command "${name}"\n${USAGE}` : USAGE);
    return name === "--help" ? 0 : 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`pushgateway-auth ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
