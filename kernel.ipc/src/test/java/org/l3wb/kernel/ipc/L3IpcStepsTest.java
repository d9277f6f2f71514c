package org.l3wb.kernel.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.l3wb.kernel.ipc.KernelFixture.NEVER;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Mnemonic;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.TraceListener;
import org.l3wb.kernel.api.Dope;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelStep;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.ipc.KernelFixture.Script;

/**
 * The IPC path marks the paper's steps (5.3.2, 5.2.2, 5.2.3, 5.3.3) and its instructions name their
 * operands: a receiver waits (TIMEOUTS), a sender in another space finds it (CHECK_PARTNER) and sends
 * a long message with one indirect string (TRANSFER_MESSAGE), which it reaches through the
 * communication window (TEMPORARY_MAPPING, nested: the copy goes on as TRANSFER_MESSAGE after it).
 */
class L3IpcStepsTest {
    static final int MESSAGE = 0x1000_0000;
    static final int BUFFER = 0x1100_0000;
    static final int STRING = 0x1200_0000;
    static final int STRING_BUFFER = 0x1100_1000; // in the buffer's region: one mapping

    /** One retired instruction: the step current at its retirement, its kind and operands. */
    record Retired(CodeStep step, Mnemonic op, Reg reg, Reg base, Reg index) {
    }

    /** Records every retired instruction with the step marked last. */
    static final class Steps implements TraceListener {
        final List<Retired> retired = new ArrayList<>();
        final Set<KernelStep> marked = EnumSet.noneOf(KernelStep.class);
        CodeStep current;

        @Override
        public void step(CodeStep step) {
            current = step;
            if (step instanceof KernelStep s) {
                marked.add(s);
            }
        }

        @Override
        public void retired(Mnemonic op, int at, Reg reg, Reg base, Reg index) {
            retired.add(new Retired(current, op, reg, base, index));
        }

        List<Retired> in(KernelStep step) {
            return retired.stream().filter(r -> r.step() == step).toList();
        }
    }

    @Test
    void aLongMessageBetweenSpacesGoesThroughThePapersSteps() {
        KernelFixture k = new KernelFixture();
        int a = k.nucleus.createTask();
        int b = k.nucleus.createTask();
        Dope dope = new Dope(2, 1, 0);
        k.nucleus.mapUser(a, MESSAGE, 1, true);
        k.nucleus.mapUser(a, STRING, 1, true);
        k.nucleus.mapUser(b, BUFFER, 1, true);
        k.nucleus.mapUser(b, STRING_BUFFER, 1, true);
        k.nucleus.poke(a, MESSAGE + Dope.CURRENT, dope.encode());
        int sd = MESSAGE + dope.stringDescriptor(0);
        k.nucleus.poke(a, sd + Dope.STRING_ADDRESS, STRING);
        k.nucleus.poke(a, sd + Dope.STRING_LENGTH, 256);
        int rd = BUFFER + dope.stringDescriptor(0);
        k.nucleus.poke(b, rd + Dope.STRING_BUFFER, STRING_BUFFER);
        k.nucleus.poke(b, rd + Dope.STRING_BUFFER_SIZE, 256);
        k.nucleus.poke(b, BUFFER + Dope.MAXIMUM, dope.encode());
        Script receiver = new Script().call(IpcOperation.RECEIVE, () -> ThreadId.NIL, 0, BUFFER, 0, 0, NEVER);
        ThreadId r = k.nucleus.createThread(b, receiver);
        Script sender = new Script().call(IpcOperation.SEND, () -> r, MESSAGE, 0, 0, 0, NEVER);
        k.nucleus.createThread(a, sender);
        Steps steps = new Steps();
        k.machine.cpu().trace(steps);

        assertTrue(k.run(() -> receiver.finished() && sender.finished()));
        k.machine.cpu().trace(null);

        assertEquals(ResultCode.OK, receiver.outcomes.get(0).result());
        assertTrue(steps.marked.containsAll(EnumSet.of(KernelStep.TIMEOUTS, KernelStep.CHECK_PARTNER,
                KernelStep.TRANSFER_MESSAGE, KernelStep.TEMPORARY_MAPPING)), "marked: " + steps.marked);
        List<Retired> moves = steps.retired.stream().filter(i -> i.op() == Mnemonic.REP_MOVSD).toList();
        assertTrue(moves.size() >= 2, "the direct string and the indirect string");
        for (Retired move : moves) {
            assertEquals(KernelStep.TRANSFER_MESSAGE, move.step(), "the copy goes on after the mapping");
        }
        // Table 4: the two page-directory entries loaded through the other space's directory (EBP),
        // indexed by the region (EBX)
        long pdirLoads = steps.in(KernelStep.TEMPORARY_MAPPING).stream()
                .filter(i -> i.op() == Mnemonic.LOAD && i.base() == Reg.EBP && i.index() == Reg.EBX).count();
        assertEquals(2, pdirLoads, "one mapping of the receiver's region, two directory entries");
        // the partner check reads the destination's TCB through EDX
        assertTrue(steps.in(KernelStep.CHECK_PARTNER).stream()
                .anyMatch(i -> i.op() == Mnemonic.LOAD && i.base() == L3Ipc.PARTNER_TCB));
    }
}
