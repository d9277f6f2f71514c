package org.l3wb.lab.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.l3wb.lab.format.Table;

/**
 * The report's bar charts, beside {@link Charts}' line plots: Table 1 as grouped bars (a group per
 * optimisation, a bar per message size, the paper's value a black diamond on its bar), Table 2 and ports
 * as simulated and paper bars side by side. Same size, palette and determinism as {@link Charts}.
 *
 * <pre>
 * Plot p = BarCharts.table1(report.section(Experiment.TABLE1).table(), "i486dx50");
 * Files.write(dir.resolve("table1.svg"), p.svg().getBytes(UTF_8));
 * </pre>
 */
public final class BarCharts {
    private static final Color PAPER_BAR = new Color(0xbbbbbb);

    private BarCharts() {
    }

    /** Table 1: % added time per optimisation removed and size; the "all" row is left out (its own scale). */
    public static Plot table1(Table table1, String processor) {
        List<String> columns = table1.columns();
        int sw = columns.indexOf("switch");
        int size = columns.indexOf("size");
        int simulated = columns.indexOf("simulated");
        int paper = columns.indexOf("paper");
        DefaultCategoryDataset bars = new DefaultCategoryDataset();
        DefaultCategoryDataset marks = new DefaultCategoryDataset();
        List<Object> sizes = new ArrayList<>();
        for (Object[] row : table1.rows()) {
            if ("all".equals(row[sw])) {
                continue;
            }
            String series = row[size] + " bytes";
            bars.addValue((Number) row[simulated], series, (String) row[sw]);
            // one diamond series per size (so each sits on its bar); only the first is in the legend, as "the paper"
            if (!sizes.contains(row[size])) {
                sizes.add(row[size]);
            }
            marks.addValue((Number) row[paper], sizes.indexOf(row[size]) == 0 ? "the paper" : "paper, " + series,
                    (String) row[sw]);
        }
        BarRenderer renderer = barRenderer();
        for (int i = 0; i < bars.getRowCount(); i++) {
            renderer.setSeriesPaint(i, Charts.COLOURS[i % Charts.COLOURS.length]);
        }
        CategoryPlot plot = plot(bars, renderer, "optimisation switched off", "time added (%)");
        // the paper's figures: a diamond centred on the bar of the same size
        LineAndShapeRenderer diamonds = new LineAndShapeRenderer(false, true);
        diamonds.setUseSeriesOffset(true);
        diamonds.setItemMargin(renderer.getItemMargin());
        Rectangle2D.Double box = new Rectangle2D.Double(-4, -4, 8, 8);
        java.awt.geom.AffineTransform rotate = java.awt.geom.AffineTransform.getRotateInstance(Math.PI / 4);
        for (int i = 0; i < marks.getRowCount(); i++) {
            diamonds.setSeriesPaint(i, Color.BLACK);
            diamonds.setSeriesShape(i, rotate.createTransformedShape(box));
            diamonds.setSeriesVisibleInLegend(i, i == 0);
        }
        plot.setDataset(1, marks);
        plot.setRenderer(1, diamonds);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        JFreeChart chart = chart(plot, "Table 1: time added when one optimisation is switched off (" + processor + ")",
                "bars: simulated, one per message size; black diamonds: the paper (none where it has \u201c-\u201d)");
        return Charts.draw(chart, "table1");
    }

    /** Table 2: null RPC per processor, simulated beside the paper's row for that processor. */
    public static Plot table2(Table table2, String processor) {
        return sideBySide(table2, "processor", r -> true, "Table 2: null RPC (two 8-byte IPCs) per processor",
                "simulated beside the paper's row for the same processor (none for a processor the paper did not "
                        + "measure)", "processor", "time per null RPC (µs)", "table2");
    }

    /** Section 7.1: the 8-byte IPC's cycles under l3 and ports and the cycles ports add, beside Table 5's 29. */
    public static Plot ports(Table ports, String processor) {
        int unit = ports.columns().indexOf("unit");
        int column = ports.columns().indexOf("column");
        int simulated = ports.columns().indexOf("simulated");
        int paper = ports.columns().indexOf("paper");
        String misses = "";
        for (Object[] row : ports.rows()) {
            if ("misses".equals(row[unit])) {
                misses = "; TLB misses added: " + Table.cell(row[simulated])
                        + (row[paper] == null ? "" : " (paper " + Table.cell(row[paper]) + ")");
            }
        }
        return sideBySide(ports, "column", r -> "cycles".equals(r[unit]) && r[column] != null,
                "Section 7.1: the 8-byte IPC through ports (" + processor + ")",
                "cycles per IPC under l3 and ports, and what ports add (paper: Table 5's estimate)" + misses,
                "", "cycles per IPC", "ports");
    }

    /** Section 5.6: µs per warm call of the bare user → kernel → user trip and of mach_thread_self, beside 2 and 18. */
    public static Plot syscall(Table syscall, String processor) {
        return sideBySide(syscall, "call", r -> true, "Section 5.6: a system call, warm (" + processor + ")",
                "µs per call: the bare trip (INT, IRET) beside the paper's 2 µs, Mach's mach_thread_self beside 18 µs",
                "", "µs per call", "syscall", "us", "paper_us");
    }

    private static Plot sideBySide(Table t, String category, Predicate<Object[]> rows, String title, String subtitle,
            String xLabel, String yLabel, String key) {
        return sideBySide(t, category, rows, title, subtitle, xLabel, yLabel, key, "simulated", "paper");
    }

    private static Plot sideBySide(Table t, String category, Predicate<Object[]> rows, String title, String subtitle,
            String xLabel, String yLabel, String key, String simulatedColumn, String paperColumn) {
        int c = t.columns().indexOf(category);
        int simulated = t.columns().indexOf(simulatedColumn);
        int paper = t.columns().indexOf(paperColumn);
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<String> categories = new ArrayList<>();
        for (Object[] row : t.rows()) {
            if (rows.test(row)) {
                String name = String.valueOf(row[c]);
                categories.add(name);
                data.addValue((Number) row[simulated], "simulated", name);
                data.addValue((Number) row[paper], "paper", name);
            }
        }
        BarRenderer renderer = barRenderer();
        renderer.setSeriesPaint(0, Charts.COLOURS[0]);
        renderer.setSeriesPaint(1, PAPER_BAR);
        return Charts.draw(chart(plot(data, renderer, xLabel, yLabel), title, subtitle), key);
    }

    private static BarRenderer barRenderer() {
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        return renderer;
    }

    private static CategoryPlot plot(DefaultCategoryDataset data, BarRenderer renderer, String xLabel, String yLabel) {
        CategoryAxis x = new CategoryAxis(xLabel);
        x.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        NumberAxis y = new NumberAxis(yLabel);
        y.setNumberFormatOverride(Charts.format("0.#"));
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        return plot;
    }

    private static JFreeChart chart(CategoryPlot plot, String title, String subtitle) {
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        return chart;
    }
}
