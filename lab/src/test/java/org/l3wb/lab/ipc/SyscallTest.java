package org.l3wb.lab.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.InstructionCosts;
import org.l3wb.hw.api.ProcessorModel;
import org.l3wb.hw.cpu386.I386Dx20;
import org.l3wb.hw.cpu486.StandardModels;

/** lab:syscall's figures come out of the path: the machine's INT and IRET, Mach's routines, the processor. */
class SyscallTest {
    static final int ROUNDS = 200;
    final Syscall syscall = new Syscall(Lab.MACHINES, Lab.KERNEL);

    /** The bare trip is the INT and the IRET, at the processor's own costs, warm: nothing else. */
    @Test
    void bareTripIsIntPlusIretOfTheMachine() {
        ProcessorModel dx50 = StandardModels.i486dx50();
        Syscall.Measured bare = syscall.bare(dx50, ROUNDS);
        InstructionCosts c = dx50.costs();
        assertEquals(2.0, bare.instructions(), 1e-9, "INT and IRET");
        assertEquals(0.0, bare.tlbMisses(), 1e-9, "a warm loop in one space keeps its TLB entries");
        assertEquals(0.0, bare.cacheMisses(), 1e-9);
        assertEquals(c.intToInner() + c.iretToOuter(), bare.cycles(), 1e-9);
        assertEquals(List.of("enter kernel", "return to user"),
                bare.steps().stream().map(Syscall.Step::label).toList());
    }

    @Test
    void threadSelfIsMachsRoutinesAndLargerThanTheBareTrip() {
        ProcessorModel dx50 = StandardModels.i486dx50();
        Syscall.Measured bare = syscall.bare(dx50, ROUNDS);
        Syscall.Measured self = syscall.threadSelf(dx50, ROUNDS);
        assertTrue(self.cycles() > bare.cycles() + 200, self.cycles() + " cycles");
        Set<String> steps = self.steps().stream().map(Syscall.Step::label).collect(Collectors.toSet());
        assertTrue(steps.containsAll(Set.of("enter kernel", "syscall, mach_call_call", "mach_thread_self",
                "retrieve_thread_self_fast", "ipc_port_copyout_send", "ipc_object_copyout", "ipc_right_reverse",
                "ipc_hash_lookup", "ipc_hash_local_lookup", "ipc_right_copyout", "_return_from_trap",
                "return to user")), steps.toString());
        assertTrue(!steps.contains("ipc_hash_local_insert"), "warm calls find the entry: no insert");
        assertTrue(!steps.contains("user code") && !steps.contains("clock interrupt"), "only the call: " + steps);
        double sum = self.steps().stream().mapToDouble(Syscall.Step::cycles).sum();
        assertEquals(self.cycles(), sum, 1e-6);
    }

    @Test
    void anotherProcessorGivesOtherCycles() {
        Syscall.Measured dx50 = syscall.threadSelf(StandardModels.i486dx50(), ROUNDS);
        Syscall.Measured i386 = syscall.threadSelf(new I386Dx20(), ROUNDS);
        assertNotEquals(dx50.cycles(), i386.cycles());
        assertNotEquals(syscall.bare(StandardModels.i486dx50(), ROUNDS).cycles(),
                syscall.bare(new I386Dx20(), ROUNDS).cycles());
    }

    /** The command's table: both calls beside the paper's 2 and 18 µs on the DX-50, none on another processor. */
    @Test
    void theTableSetsBothBesideThePaper() {
        List<Object[]> rows = syscall.table(StandardModels.i486dx50(), 50).rows();
        assertEquals("user_kernel_user", rows.get(0)[0]);
        assertEquals(2.0, rows.get(0)[9]);
        assertEquals("mach_thread_self", rows.get(1)[0]);
        assertEquals(18.0, rows.get(1)[9]);
        assertEquals(null, syscall.table(new I386Dx20(), 50).rows().get(1)[9], "the paper measured a 486-50");
    }

    @Test
    void badRoundsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> syscall.bare(StandardModels.i486dx50(), 0));
        assertEquals("--rounds must be 1.." + Syscall.MAX_ROUNDS + ", got 0", e.getMessage());
    }
}
