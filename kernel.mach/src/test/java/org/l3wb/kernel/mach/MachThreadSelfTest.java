package org.l3wb.kernel.mach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.CodeStep;
import org.l3wb.hw.api.Machine;
import org.l3wb.hw.api.Mnemonic;
import org.l3wb.hw.api.Mmu;
import org.l3wb.hw.api.PageFlags;
import org.l3wb.hw.api.Reg;
import org.l3wb.hw.api.TraceListener;
import org.l3wb.hw.cache.CacheFactoryComponent;
import org.l3wb.hw.cpu486.MachineFactoryComponent;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.hw.mmu.MmuFactoryComponent;
import org.l3wb.kernel.api.KernelCall;
import org.l3wb.kernel.api.Nucleus;
import org.l3wb.kernel.api.ResultCode;
import org.l3wb.kernel.api.Switch;
import org.l3wb.kernel.api.Switches;
import org.l3wb.kernel.api.ThreadId;
import org.l3wb.kernel.api.UserContext;
import org.l3wb.kernel.api.UserProgram;
import org.l3wb.kernel.core.KernelComponent;
import org.l3wb.kernel.sched.StrictScheduler;

/** mach_thread_self: a send right to the thread's kernel port, named in its task's space, through Mach's routines. */
class MachThreadSelfTest {
    /** Table 7's conventional configuration (lab's Figure8.MACH_SWITCHES). */
    static final Switches CONVENTIONAL = Switches.ALL_OFF.with(Switch.REPLY_AND_WAIT, true);

    final Machine machine = new MachineFactoryComponent(new MmuFactoryComponent(), new CacheFactoryComponent())
            .create(StandardModels.i486dx50());

    Nucleus boot(Switches switches) {
        KernelComponent kernel = new KernelComponent();
        kernel.addMechanism(new MachIpc());
        kernel.addScheduler(new StrictScheduler());
        return kernel.boot(machine, switches, "mach", "strict");
    }

    /** Calls thread-self {@code calls} times, keeping each name (EAX), then exits. */
    static final class Self implements UserProgram {
        final List<Integer> names = new ArrayList<>();
        final int calls;
        boolean started;

        Self(int calls) {
            this.calls = calls;
        }

        @Override
        public void run(UserContext u) {
            if (started) {
                names.add(u.cpu().reg(Reg.EAX));
            }
            started = true;
            if (names.size() < calls) {
                u.kernelCall(KernelCall.THREAD_SELF);
            } else {
                u.exit();
            }
        }

        boolean finished() {
            return names.size() >= calls;
        }
    }

    /** A kernel word, read through the page tables without cycles (a debugger's view). */
    int word(int linear) {
        Mmu mmu = machine.mmu();
        int pte = mmu.entry(mmu.cr3(), linear);
        return machine.memory().readWord((pte & PageFlags.FRAME_MASK) | (linear & ~PageFlags.FRAME_MASK));
    }

    @Test
    void theSameNameEachTimeOneMoreUserReferenceAndThePortsCountsBalance() {
        for (Switches switches : List.of(CONVENTIONAL, Switches.ALL_ON)) {
            Nucleus n = boot(switches);
            int task = n.createTask();
            Self self = new Self(5);
            ThreadId thread = n.createThread(task, self);
            assertTrue(n.run(self::finished, 10_000_000L));
            int name = self.names.get(0);
            assertTrue(name >>> 8 > 0, "a name with a table index: " + Integer.toHexString(name));
            assertEquals(List.of(name, name, name, name, name), self.names);
            int data = n.layout().mechanismData(MachIpc.MECHANISM);
            int entry = data + MachData.SPACES + task * PageFlags.PAGE_SIZE + (name >>> 8) * MachData.ENTRY_SIZE;
            int bits = word(entry + MachData.E_BITS);
            assertEquals(name & 0xFF, bits >>> 24, "the name's generation is the entry's");
            assertEquals(MachData.RIGHT_SEND, bits & 0xFF, "a send right");
            assertEquals(5, bits >>> MachData.UREFS_SHIFT & MachData.UREFS_MAX, "one user reference per call");
            int port = data + MachData.SELF_PORTS + (thread.low() >>> 10) * MachData.PORT_SIZE;
            assertEquals(port, word(entry + MachData.E_OBJECT), "the right is to the thread's kernel port");
            assertEquals(2, word(port + MachData.P_SRIGHTS), "ith_sself's and the entry's: each call merges its right");
            assertEquals(3, word(port + MachData.P_REFERENCES), "the port's, ith_sself's and the entry's");
            n.checkInvariants();
        }
    }

    @Test
    void threadsOfOneTaskGetDifferentNamesAndIpcStillWorks() {
        Nucleus n = boot(CONVENTIONAL);
        int task = n.createTask();
        Self a = new Self(2);
        Self b = new Self(2);
        n.createThread(task, a);
        n.createThread(task, b);
        assertTrue(n.run(() -> a.finished() && b.finished(), 10_000_000L));
        assertNotEquals(a.names.get(0), b.names.get(0));
        // an RPC in the same task's space after the thread-self calls
        MachIpcTest.Echo echo = new MachIpcTest.Echo();
        ThreadId server = n.createThread(n.createTask(), echo);
        MachIpcTest.Caller caller = new MachIpcTest.Caller();
        ThreadId client = n.createThread(task, caller);
        caller.names.add(n.endpoint(client, server));
        assertTrue(n.run(caller::finished, 50_000_000L));
        assertEquals(List.of(ResultCode.OK), caller.results);
        n.checkInvariants();
    }

    /** Every instruction marked with one of Mach's routines lies in that routine's text (offsets estimated). */
    @Test
    void eachRoutinesInstructionsLieInItsText() {
        Nucleus n = boot(CONVENTIONAL);
        Self self = new Self(3);
        n.createThread(n.createTask(), self);
        MachBreakdownTest.Steps steps = new MachBreakdownTest.Steps();
        steps.text = n.layout().mechanismData(MachIpc.MECHANISM) + MachData.TEXT;
        machine.cpu().trace(steps);
        assertTrue(n.run(self::finished, 10_000_000L));
        machine.cpu().trace(null);
        assertNull(steps.wrong, steps.wrong);
        assertTrue(steps.tagged > 3 * 200, steps.tagged + " instructions in Mach's routines");
        // in Mach's text only the nucleus's own work on the way out is not a routine's: the segment
        // pops and the IRET after _return_from_trap (the nucleus's return to user)
        assertEquals(List.of("_return_from_trap"), List.copyOf(steps.unmarked.keySet()), steps.unmarked.toString());
    }

    /**
     * IH_LOCAL_HASH's {@code % size} is a DIV r32 by ECX (the table size), charged the processor's DIV:
     * one in each call's ipc_hash_local_lookup, one more in the first call's ipc_hash_local_insert.
     */
    @Test
    void theReverseHashDividesWithADiv() {
        Nucleus n = boot(CONVENTIONAL);
        Self self = new Self(3);
        n.createThread(n.createTask(), self);
        List<String> divs = new ArrayList<>();
        machine.cpu().trace(new TraceListener() {
            CodeStep step;

            @Override
            public void step(CodeStep s) {
                step = s;
            }

            @Override
            public void retired(Mnemonic op, int at, Reg reg, Reg base, Reg index) {
                if (op == Mnemonic.DIV) {
                    divs.add((step instanceof Routine r ? r.name() : String.valueOf(step)) + " " + reg);
                }
            }
        });
        assertTrue(n.run(self::finished, 10_000_000L));
        machine.cpu().trace(null);
        assertEquals(List.of("ipc_hash_local_lookup ECX", "ipc_hash_local_insert ECX", "ipc_hash_local_lookup ECX",
                "ipc_hash_local_lookup ECX"), divs);
    }
}
