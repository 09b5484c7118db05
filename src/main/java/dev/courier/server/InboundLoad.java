package dev.courier.server;

/**
 * What the broker's connections hold on the way in: bytes reserved for frame bodies still
 * arriving, how many connections hold or wait for such a reservation, and the frames handled
 * since start.
 */
record InboundLoad(long reservedFrameBytes, int midFrame, int waitingForBudget, long framesReceived) {}
