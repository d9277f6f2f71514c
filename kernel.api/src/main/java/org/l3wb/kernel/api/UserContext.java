package org.l3wb.kernel.api;

import org.l3wb.hw.api.Processor;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A user thread's view while its {@link UserProgram} runs: the processor in user mode at the
 * thread's code, its own uid, and system-call stubs that load the Table 6 registers with user
 * instructions (MOV r, imm) and trap with INT, as a compiler's inline stub would (5.4).
 */
@ProviderType
public interface UserContext {
    Processor cpu();

    ThreadId self();

    int task();

    /** @return the previous IPC's result code (EAX) */
    default ResultCode result() {
        return ResultCode.of(cpu().reg(org.l3wb.hw.api.Reg.EAX));
    }

    /** @return received message bytes 0..3 (EBX) */
    default int word0() {
        return cpu().reg(org.l3wb.hw.api.Reg.EBX);
    }

    /** @return received message bytes 4..7 (ECX) */
    default int word1() {
        return cpu().reg(org.l3wb.hw.api.Reg.ECX);
    }

    /** @return the previous receive's source (EDX, ESI) */
    default ThreadId source() {
        return new ThreadId(cpu().reg(org.l3wb.hw.api.Reg.EDX), cpu().reg(org.l3wb.hw.api.Reg.ESI));
    }

    /**
     * The previous receive's source as one {@code long} ({@link ThreadId#value()}'s form: ESI above
     * EDX), for a program that only passes it back, as a server's reply does:
     * {@code u.ipc(REPLY_AND_RECEIVE_NEXT, u.sourceUid(), ...)}. Unlike {@link #source()} it
     * allocates nothing, so a server's round trip costs the host no garbage (issue 13).
     *
     * @return the source's uid: high word (ESI) above low word (EDX)
     * @since 3.1
     */
    default long sourceUid() {
        return (long) cpu().reg(org.l3wb.hw.api.Reg.ESI) << 32 | (cpu().reg(org.l3wb.hw.api.Reg.EDX) & 0xFFFF_FFFFL);
    }

    /**
     * Loads the IPC registers and traps.
     *
     * @param op        the system call
     * @param partner   destination (send part) or source (receive part; nil = any)
     * @param send      0 no send, 1 short message in registers, else message address
     * @param receive   0 no receive, 1 registers only, else receive-buffer address
     * @param word0     message bytes 0..3
     * @param word1     message bytes 4..7
     * @param timeouts  {@link Timeout#pair}
     */
    default void ipc(IpcOperation op, ThreadId partner, int send, int receive, int word0, int word1, int timeouts) {
        ipc(op, partner.value(), send, receive, word0, word1, timeouts);
    }

    /**
     * {@link #ipc(IpcOperation, ThreadId, int, int, int, int, int)} with the partner as one uid, in
     * {@link ThreadId#value()}'s form (high word, ESI, above low word, EDX), e.g. {@link #sourceUid()}:
     * the same instructions and system call, without a {@code ThreadId} per call.
     *
     * @since 3.1
     */
    void ipc(IpcOperation op, long partner, int send, int receive, int word0, int word1, int timeouts);

    /**
     * Traps with {@code call}'s INT vector and nothing loaded before it (a system call without
     * parameters); its results are in the registers when the thread next runs.
     *
     * @since 3.1
     */
    void kernelCall(KernelCall call);

    /** The thread ends: it never runs again. */
    void exit();

    /** Reads a user dword without cycles (a debugger's view, for checking results). */
    int peek(int linear);

    /** Writes a user dword without cycles (test setup). */
    void poke(int linear, int value);
}
