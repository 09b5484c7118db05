package dev.courier.core;

/** A snapshot of the broker's counters, taken on its owner thread. */
public record BrokerStats(
    long published,
    long delivered,
    long redelivered,
    long acked,
    int ready,
    int inFlight,
    int consumers,
    boolean draining) {}
