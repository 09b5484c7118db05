package dev.courier.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {
  @Test
  void countsNeverReceivedAsLostAndExtraReceptionsAsDuplicated() {
    DeliveryLedger ledger = new DeliveryLedger(5);
    for (int sequence : new int[] {0, 1, 1, 3, 3, 3}) {
      ledger.record(sequence, 0);
    }
    assertEquals(2, ledger.lost());
    assertEquals(3, ledger.duplicated());
    assertFalse(ledger.allReceived().isDone());
  }

  @Test
  void completesOnTheFirstReceptionOfTheLastMissingNumber() {
    DeliveryLedger ledger = new DeliveryLedger(2);
    ledger.record(1, 10);
    ledger.record(0, 20);
    ledger.record(0, 30);
    assertTrue(ledger.allReceived().isDone());
    assertEquals(20L, ledger.allReceived().join());
  }

  @Test
  void keepsForeignSequenceNumbersApart() {
    DeliveryLedger ledger = new DeliveryLedger(1);
    ledger.record(-1, 0);
    ledger.record(7, 0);
    assertEquals(2, ledger.foreign());
    assertEquals(1, ledger.lost());
  }
}
