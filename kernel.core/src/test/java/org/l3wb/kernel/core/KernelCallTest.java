package org.l3wb.kernel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Processor;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.IpcMechanism;
import org.l3wb.kernel.api.IpcOperation;
import org.l3wb.kernel.api.KernelCall;
import org.l3wb.kernel.api.KernelContext;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.sched.LazyScheduler;

/**
 * The non-IPC system calls of section 5.6: the null call is the INT and the IRET and nothing else; the
 * thread-self call goes to the bound mechanism, whose default answers with the caller's uid.
 */
class KernelCallTest {
    /** A thread-addressed mechanism that leaves thread-self to the default. */
    static final class Plain implements IpcMechanism {
        @Override
        public String name() {
            return "plain";
        }

        @Override
        public void ipc(KernelContext k, IpcOperation operation) {
            k.cpu().movImm(Reg.EAX, ResultCode.OK.code());
            k.returnToUser();
        }

        @Override
        public void resumeTransfer(KernelContext k) {
            throw new AssertionError("no transfers here");
        }
    }

    final Machine machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
            .create(StandardModels.i486dx50());

    Nucleus boot(boolean withMechanism) {
        KernelComponent kernel = new KernelComponent();
        kernel.addScheduler(new LazyScheduler());
        if (withMechanism) {
            kernel.addMechanism(new Plain());
        }
        return kernel.boot(machine, Switches.ALL_ON, "plain", "lazy");
    }

    @Test
    void theNullCallIsIntAndIretAtTheProcessorsCostsAndLeavesTheRegisters() {
        Nucleus n = boot(true);
        Processor cpu = machine.cpu();
        long[] span = new long[2];
        int[] calls = new int[1];
        List<Integer> eax = new ArrayList<>();
        n.createThread(n.createTask(), u -> {
            if (calls[0] > 0) {
                eax.add(u.cpu().reg(Reg.EAX));
                span[1] = cpu.cycles() - span[0];
            }
            calls[0]++;
            u.cpu().movImm(Reg.EAX, 0x1234);
            span[0] = cpu.cycles(); // then the stub: the loop's JMP back to it, INT
            u.kernelCall(KernelCall.NULL);
        });
        assertTrue(n.run(() -> calls[0] > 20, 1_000_000L));
        InstructionCosts c = machine.model().costs();
        assertEquals(c.jmp() + c.intToInner() + c.iretToOuter(), span[1], "the loop's JMP, a warm INT and IRET, nothing else");
        assertTrue(eax.stream().allMatch(v -> v == 0x1234), "nothing written: " + eax);
    }

    @Test
    void threadSelfByDefaultAnswersTheUidAndWithoutAMechanismNoMechanism() {
        Nucleus n = boot(true);
        List<ThreadId> names = new ArrayList<>();
        List<ResultCode> results = new ArrayList<>();
        int[] calls = new int[1];
        ThreadId thread = n.createThread(n.createTask(), u -> {
            if (calls[0]++ > 0) {
                results.add(u.result());
                names.add(u.source());
            }
            u.kernelCall(KernelCall.THREAD_SELF);
        });
        assertTrue(n.run(() -> calls[0] > 2, 1_000_000L));
        assertEquals(List.of(ResultCode.OK, ResultCode.OK), results);
        assertEquals(List.of(thread, thread), names);

        Machine other = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
                .create(StandardModels.i486dx50());
        KernelComponent kernel = new KernelComponent();
        kernel.addScheduler(new LazyScheduler());
        Nucleus none = kernel.boot(other, Switches.ALL_ON, "plain", "lazy");
        List<ResultCode> without = new ArrayList<>();
        int[] more = new int[1];
        none.createThread(none.createTask(), u -> {
            if (more[0]++ > 0) {
                without.add(u.result());
            }
            u.kernelCall(KernelCall.THREAD_SELF);
        });
        assertTrue(none.run(() -> more[0] > 1, 1_000_000L));
        assertEquals(List.of(ResultCode.NO_MECHANISM), without);
    }
}
