package dev.courier.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar courier.jar <role> [options]}: one sub-command per role. */
@Command(name = "courier", mixinStandardHelpOptions = true, version = "courier 0.1.0",
    description = "Courier, a message broker: length-prefixed JSON over TCP, at-least-once delivery.",
    subcommands = {BrokerCommand.class, ProducerCommand.class, ConsumerCommand.class, StatsCommand.class,
        BenchCommand.class, UsersCommand.class, RedriveCommand.class, TopicsCommand.class, GroupsCommand.class,
        GroupCommand.Purge.class, GroupCommand.Pause.class, GroupCommand.Resume.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).setParameterExceptionHandler(Main::badUsage).execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name a role: " + String.join(", ", spec.subcommands().keySet().stream().filter(r -> !r.equals("help")).toList()));
  }

  /** One sentence and where to read more, instead of picocli's whole usage text after every typo. */
  private static int badUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    command.getErr().println(name + ": " + e.getMessage() + " (see " + name + " --help)");
    command.getErr().flush();
    return 2;
  }
}
