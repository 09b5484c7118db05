package dev.courier.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The life cycle options of producer, consumer and redrive (issue 12): each checked before
 * anything connects, refused in one sentence that names the option, the value and what is allowed.
 */
class LifecycleOptionsTest {

  private static <T extends Callable<Integer>> T parsed(T command, String... args) {
    new CommandLine(command).parseArgs(args);
    return command;
  }

  private static void assertRefused(Runnable validate, String sentence) {
    Usage.Mistake mistake = assertThrows(Usage.Mistake.class, validate::run);
    assertEquals(sentence, mistake.getMessage());
  }

  private static void producerRefuses(String sentence, String... args) {
    ProducerCommand command = parsed(new ProducerCommand(), args);
    assertRefused(command::validate, sentence);
  }

  private static void consumerRefuses(String sentence, String... args) {
    ConsumerCommand command = parsed(new ConsumerCommand(), args);
    assertRefused(command::validate, sentence);
  }

  @Test
  void producerTakesADelayATtlAndADedupIdWithinTheirRanges() {
    ProducerCommand command = parsed(new ProducerCommand(), "--delay-ms", "0", "--ttl-ms", "31536000000",
        "--dedup-id", "order-17", "one");
    assertDoesNotThrow(command::validate);
    assertEquals(0L, command.delayMs);
    assertEquals(31_536_000_000L, command.ttlMs);
    assertEquals("order-17", command.dedupId);
  }

  @Test
  void producerDelayOutsideZeroToAYearIsRefused() {
    producerRefuses("--delay-ms must be 0 to 31536000000 ms (a year), was -1", "--delay-ms", "-1");
    producerRefuses("--delay-ms must be 0 to 31536000000 ms (a year), was 31536000001", "--delay-ms", "31536000001");
  }

  @Test
  void producerTtlOutsideOneMsToAYearIsRefused() {
    producerRefuses("--ttl-ms must be 1 to 31536000000 ms (a year), was 0", "--ttl-ms", "0");
  }

  @Test
  void producerEmptyDedupIdIsRefused() {
    producerRefuses("--dedup-id must not be empty", "--dedup-id", "");
  }

  @Test
  void consumerNacksEveryNthWithAnOptionalDelay() {
    ConsumerCommand command = parsed(new ConsumerCommand(), "--nack-every", "3", "--nack-delay-ms", "250");
    assertDoesNotThrow(command::validate);
    assertEquals(3L, command.nackEvery);
    assertEquals(250L, command.nackDelayMs);
  }

  @Test
  void consumerNackEveryBelowOneIsRefused() {
    consumerRefuses("--nack-every must be at least 1 (1 nacks every message), was 0", "--nack-every", "0");
  }

  @Test
  void consumerNackEveryWithNoAckIsRefusedAsAConflict() {
    consumerRefuses("--nack-every 2 answers messages with nacks, so it cannot be combined with --no-ack, which never"
        + " answers; give one or the other", "--nack-every", "2", "--no-ack");
  }

  @Test
  void consumerNackDelayNeedsNackEveryAndARange() {
    consumerRefuses("--nack-delay-ms 100 delays the redelivery of nacked messages, so it needs --nack-every N",
        "--nack-delay-ms", "100");
    consumerRefuses("--nack-delay-ms must be 0 to 31536000000 ms (a year), was -5", "--nack-every", "1",
        "--nack-delay-ms", "-5");
  }

  @Test
  void redriveNeedsAValidTopicAndALimitOfAtLeastOne() {
    RedriveCommand good = parsed(new RedriveCommand(), "--topic", "orders.dlq", "--limit", "10");
    assertDoesNotThrow(good::validate);
    assertRefused(parsed(new RedriveCommand(), "--topic", "orders.dlq", "--limit", "0")::validate,
        "--limit must be at least 1 dead letter, was 0");
    Usage.Mistake badName = assertThrows(Usage.Mistake.class, parsed(new RedriveCommand(), "--topic", "a b")::validate);
    assertTrue(badName.getMessage().startsWith("--topic \"a b\" is not a valid name"), badName.getMessage());
  }

  @Test
  void redriveWithoutATopicIsBadUsageBeforeConnecting() {
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new Main()).setErr(new PrintWriter(err))
        .setParameterExceptionHandler((e, args) -> 2).execute("redrive");
    assertEquals(2, exit);
  }

  @Test
  void everyLifecycleOptionIsInItsRolesHelp() {
    String producer = new CommandLine(new ProducerCommand()).getUsageMessage();
    for (String option : new String[] {"--delay-ms", "--ttl-ms", "--dedup-id"}) {
      assertTrue(producer.contains(option), option + " missing from producer --help");
    }
    String consumer = new CommandLine(new ConsumerCommand()).getUsageMessage();
    assertTrue(consumer.contains("--nack-every") && consumer.contains("--nack-delay-ms"), consumer);
    String redrive = new CommandLine(new RedriveCommand()).getUsageMessage();
    assertTrue(redrive.contains("--topic") && redrive.contains("--limit"), redrive);
    assertTrue(new CommandLine(new Main()).getUsageMessage().contains("redrive"), "redrive missing from courier --help");
  }
}
