package org.l3wb.kernel.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a user thread does, as a small state machine: each time the thread is resumed at user level,
 * the nucleus calls {@link #run}; the program executes user-level instructions on
 * {@link UserContext#cpu()} and ends with exactly one system call (or {@link UserContext#exit()}).
 * The results of its previous system call are in the registers ({@link UserContext#result()} etc.).
 */
@ConsumerType
public interface UserProgram {
    void run(UserContext user);
}
