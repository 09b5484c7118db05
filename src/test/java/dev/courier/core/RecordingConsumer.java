package dev.courier.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** A fake {@link Consumer} that records every delivery and can be told it has no room. */
final class RecordingConsumer implements Consumer {

  /** One call of {@link #deliver}. */
  record Delivery(long id, String payload, int attempt) {}

  private final String name;
  private final List<Delivery> deliveries = new ArrayList<>();
  private final List<Message> messages = new ArrayList<>();
  private boolean canAccept = true;
  private BiConsumer<RecordingConsumer, Message> onDeliver = (consumer, message) -> { };

  RecordingConsumer(String name) {
    this.name = name;
  }

  /** Switches back-pressure: while false the broker must skip this consumer. */
  void setCanAccept(boolean canAccept) {
    this.canAccept = canAccept;
  }

  /** Runs inside {@link #deliver}, after recording, e.g. to ack or disconnect re-entrantly. */
  void onDeliver(BiConsumer<RecordingConsumer, Message> action) {
    this.onDeliver = action;
  }

  List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  List<Long> ids() {
    return deliveries.stream().map(Delivery::id).toList();
  }

  List<Message> messages() {
    return List.copyOf(messages);
  }

  Delivery last() {
    if (deliveries.isEmpty()) {
      throw new AssertionError(name + " received nothing");
    }
    return deliveries.get(deliveries.size() - 1);
  }

  @Override
  public boolean canAccept() {
    return canAccept;
  }

  @Override
  public void deliver(Message message, int attempt) {
    deliveries.add(new Delivery(message.id(), message.payload(), attempt));
    messages.add(message);
    onDeliver.accept(this, message);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name + deliveries;
  }
}
