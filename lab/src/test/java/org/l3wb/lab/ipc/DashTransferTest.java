package org.l3wb.lab.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.l3wb.hw.cpu486.StandardModels;
import org.l3wb.kernel.api.Switches;
import org.l3wb.lab.format.Format;
import org.l3wb.lab.format.Table;
import org.l3wb.lab.reference.PaperFigures;

/**
 * Section 7.2 on the model: "L3 (Dash-like) ipc takes 8+n µs transferring n pages (including access to
 * each page in the receiver's address space)", for n = 1 .. 16 pages, 500 warm round trips each.
 */
class DashTransferTest {
    static List<DashTransfer.Result> results;

    @BeforeAll
    static void run() {
        results = new DashTransfer(Lab.MACHINES, Lab.KERNEL)
                .measure(StandardModels.i486dx50(), "lazy", Switches.ALL_ON, 500, DashTransfer.SERIES_PAGES);
    }

    @Test
    void aTransferOfNPagesTakesEightPlusNMicrosecondsWithinTwentyPercent() {
        assertEquals(16, results.size());
        for (DashTransfer.Result r : results) {
            int n = r.config().pages();
            double paper = PaperFigures.dashMicros(n);
            assertEquals(paper, r.microsPerTransfer(), paper * 0.20, n + " pages");
        }
    }

    @Test
    void eachPageCostsAboutAMicrosecondAndOneTlbMiss() {
        // the model's line is about 7.3 + 1.16 n us: per page the kernel's check and move (with INVLPG)
        // and the receiver's MOV with its TLB miss; the paper's slope is 1 us
        double perPage = (results.get(15).microsPerTransfer() - results.get(0).microsPerTransfer()) / 15;
        assertEquals(1.0, perPage, 0.2);
        for (DashTransfer.Result r : results) {
            // the short IPC's 5 misses (Table 3), 2 page directories and 2 page tables reached by the
            // kernel, and the receiver's first access to each page
            assertEquals(9 + r.config().pages(), r.tlbMissesPerTransfer(), 0.01, r.config().pages() + " pages");
        }
    }

    @Test
    void theSeriesTableHasThePapersFigureAndTheDeviation() {
        Table t = DashTransfer.table(results, StandardModels.i486dx50());
        assertEquals(List.of("pages", "simulated", "paper", "deviation", "unit"), t.columns());
        assertEquals(16, t.rows().size());
        Object[] first = t.rows().get(0);
        assertEquals(1, first[0]);
        assertEquals(9.0, first[2]);
        assertEquals("us", first[4]);
        String json = t.render(Format.JSON);
        assertTrue(json.contains("\"simulated\"") && json.contains("\"paper\"") && json.contains("\"deviation\""), json);
        assertEquals(17, t.render(Format.CSV).strip().split("\n").length);
    }

    @Test
    void memoryObjectsMapEachPageWithoutRemovingItAndTheReceiverReadsIt() {
        List<DashTransfer.Result> objects = new DashTransfer(Lab.MACHINES, Lab.KERNEL).measure(
                StandardModels.i486dx50(), "lazy", Switches.ALL_ON, 200, 4, DashTransfer.PageMessage.L3_MEMORY_OBJECT);
        assertEquals(4, objects.size());
        for (DashTransfer.Result r : objects) {
            int n = r.config().pages();
            // at least the receiver's TLB miss on each page it reads (fresh regions), plus the IPC's own
            assertTrue(r.tlbMissesPerTransfer() >= n + 5, n + " pages: " + r.tlbMissesPerTransfer());
            // a long IPC with one memory object costs more than a short one and grows with n
            assertTrue(r.microsPerTransfer() > 4.6, n + " pages: " + r.microsPerTransfer());
        }
        for (int i = 1; i < objects.size(); i++) {
            assertTrue(objects.get(i).microsPerTransfer() > objects.get(i - 1).microsPerTransfer());
        }
        Table t = DashTransfer.table(results.subList(0, 4), objects, StandardModels.i486dx50());
        assertEquals(List.of("pages", "simulated", "paper", "deviation", "l3_memory_objects", "unit"), t.columns());
        assertEquals(objects.get(3).microsPerTransfer(), (double) t.rows().get(3)[4], 0.005);
    }

    @Test
    void memoryObjectRunsThatWouldOverrunTheReceiveAreaAreRejectedBeforeAnythingRuns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DashTransfer(
                Lab.MACHINES, Lab.KERNEL).series(StandardModels.i486dx50(), "lazy", Switches.ALL_ON, 5000, 16));
        assertEquals("--rounds must be 1..4075 for memory objects of 16 pages (limit: each message lands in fresh "
                + "pages of a 65536-page receive area), got 5000", e.getMessage());
        new DashTransfer.Config(StandardModels.i486dx50(), "lazy", Switches.ALL_ON, 16, 4075,
                DashTransfer.PageMessage.L3_MEMORY_OBJECT); // the most that fits
    }

    @Test
    void pageCountsOutsideTheRegionAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new DashTransfer.Config(StandardModels.i486dx50(), "lazy", Switches.ALL_ON, 0, 10));
        assertThrows(IllegalArgumentException.class,
                () -> new DashTransfer.Config(StandardModels.i486dx50(), "lazy", Switches.ALL_ON, 257, 10));
    }
}
