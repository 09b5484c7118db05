package dev.courier.storage;

import dev.courier.core.GroupPosition;
import dev.courier.core.Message;
import java.util.List;

/**
 * A topic as recovery found it: the messages some group still needs (ids may have gaps where a
 * corrupt record was skipped) as far as the memory budget goes, then only the sizes of the rest
 * (from {@code pagedFromId} on, read back when needed), the id its log continues with, and where
 * each group stood, and the oldest id the log can still read (acked messages kept by retention
 * included).
 */
public record RecoveredTopic(String name, long nextId, List<Message> messages, long pagedFromId, long[] pagedSizes,
    List<GroupPosition> groups, long firstStoredId, RecoveryReport messagesReport) {}
