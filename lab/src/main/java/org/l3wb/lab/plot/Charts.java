package org.l3wb.lab.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.l3wb.lab.format.Table;

/**
 * The report's plots, drawn headless with JFreeChart (PNG) and JFreeSVG (SVG), both embedded privately
 * in this bundle. Series come from a {@link Table} generically, so a table that gains a column gains a
 * series:
 * <ul>
 * <li>a table with a {@code column} column (Figure 8) gives one series per value of it, from
 * {@code simulated}, and beside each a dashed one from {@code paper} where the paper has values;</li>
 * <li>otherwise (the Dash series) {@code simulated} is one series, {@code paper} a dashed one, and every
 * other numeric column except the x column and {@code deviation} one more.</li>
 * </ul>
 * The x values are the table's first column. Drawing is deterministic: the same table gives the same
 * bytes (fixed colours, fixed SVG id prefix, {@link Locale#ROOT} number formats).
 */
public final class Charts {
    static {
        // before AWT loads: no display needed (this machine and CI have none)
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    public static final int WIDTH = 900;
    public static final int HEIGHT = 560;
    static final Paint[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0x17becf), new Color(0x7f7f7f)};
    private static final BasicStroke SOLID = new BasicStroke(2f);
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);
    private static final String PAPER = " (paper)";

    private Charts() {
    }

    /** Figure 8: µs per IPC against message size, both axes logarithmic. */
    public static Plot figure8(Table figure8, String processor) {
        LogAxis x = new LogAxis("message size (bytes)");
        x.setBase(2);
        x.setTickUnit(new NumberTickUnit(1));
        x.setNumberFormatOverride(format("0"));
        x.setMinorTickMarksVisible(false);
        LogAxis y = new LogAxis("time per IPC (µs)");
        y.setBase(10);
        y.setNumberFormatOverride(format("0.##"));
        y.setTickUnit(new NumberTickUnit(1));
        y.setMinorTickCount(9);
        y.setMinorTickMarksVisible(true);
        JFreeChart chart = chart("Figure 8: time per IPC against message size (" + processor + ")",
                "l3, l3 with the cache flushed before each IPC, mach, bare copy; dashed: the paper "
                        + "(Table 7, 15 ns per byte)", series(figure8, "simulated"), x, y);
        return draw(chart, "figure8");
    }

    /** Section 7.2: µs per transfer against pages moved, linear axes. */
    public static Plot dash(Table dash, String processor) {
        NumberAxis x = new NumberAxis("pages per message");
        x.setTickUnit(new NumberTickUnit(1, format("0")));
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis("time per transfer (µs)");
        y.setAutoRangeIncludesZero(true);
        y.setNumberFormatOverride(format("0"));
        JFreeChart chart = chart("Section 7.2: Dash-like page transfer (" + processor + ")",
                "n pages moved and touched by the receiver; dashed: the paper's 8 + n µs", series(dash, "dash"), x, y);
        return draw(chart, "dash");
    }

    /**
     * {@code lab:sensitivity}: for each followed figure, its deviation from the paper against the value of
     * one board parameter (linear axes). Rows come from a table with the columns {@code value}, {@code
     * deviation} and those {@code key} reads; a figure is followed when {@code key} gives one of {@code
     * followed}, and drawn in that order. Rows without a paper figure are left out.
     *
     * @param present the model's own value of the parameter, named in the subtitle
     */
    public static Plot sensitivity(Table table, java.util.function.Function<Object[], String> key, List<String> followed,
            String parameter, String present, String processor) {
        int value = table.columns().indexOf("value");
        int deviation = table.columns().indexOf("deviation");
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (String f : followed) {
            series.put(f, new XYSeries(f, true, true));
        }
        for (Object[] row : table.rows()) {
            XYSeries s = series.get(key.apply(row));
            if (s != null && row[value] instanceof Number x && row[deviation] instanceof Number y) {
                s.add(x.doubleValue(), y.doubleValue());
            }
        }
        series.values().removeIf(s -> s.getItemCount() == 0);
        NumberAxis x = new NumberAxis(parameter);
        x.setAutoRangeIncludesZero(false);
        x.setNumberFormatOverride(format("0.##"));
        NumberAxis y = new NumberAxis("deviation from the paper (%; table1: points)");
        y.setAutoRangeIncludesZero(true);
        y.setNumberFormatOverride(format("0"));
        JFreeChart chart = chart("Board sensitivity: " + parameter + " (" + processor + ")",
                series.isEmpty() ? "no figure here has a paper value beside it (the paper's kernel on the DX-50 has)"
                        : "Table 7, Figure 8 and Table 1 rerun at each value; the model's own value: " + present,
                series, x, y);
        return draw(chart, "sensitivity");
    }

    /**
     * Where the cycles go: one stacked bar per configuration (a table's {@code configuration} column), one
     * stack segment per step ({@code step}), its height the step's {@code cycles}; rows whose step is
     * {@code total} (a configuration's total) are left out, so a bar's height is the total. Steps that
     * are not in {@code steps} (another kernel's routines, Mach's dozens) are gathered per source file
     * ({@code source}), so that the legend stays readable; the table keeps every routine. A configuration
     * whose call costs more than {@link #OFF_SCALE} times the cheapest (Mach's, 16 times L3's) would flatten
     * every other bar: it is left out of the chart and named with its total in a subtitle.
     *
     * @param total the step column's value of a total row
     * @param steps the labels of the steps that keep a segment of their own (the paper's steps), in the
     *              order they stack from the bottom
     */
    /** A call costing more than this many times the cheapest is left out of the cycles chart (named in a subtitle). */
    public static final int OFF_SCALE = 4;

    public static Plot cycles(Table cycles, String processor, String total, Set<String> steps) {
        List<String> columns = cycles.columns();
        int configuration = columns.indexOf("configuration");
        int step = columns.indexOf("step");
        int value = columns.indexOf("cycles");
        int source = columns.indexOf("source");
        Map<String, Map<String, Double>> segments = new LinkedHashMap<>(); // segment -> configuration -> cycles
        List<String> bars = new ArrayList<>();
        for (Object[] row : cycles.rows()) {
            String bar = String.valueOf(row[configuration]);
            if (!bars.contains(bar)) {
                bars.add(bar);
            }
            if (row[value] instanceof Number n && !total.equals(row[step])) {
                String label = String.valueOf(row[step]);
                String segment = steps.contains(label) || String.valueOf(row[source]).isEmpty() ? label
                        : String.valueOf(row[source]);
                segments.computeIfAbsent(segment, k -> new LinkedHashMap<>()).merge(bar, n.doubleValue(), Double::sum);
            }
        }
        // a bar many times the cheapest (mach's) would flatten the others to slivers: it stays in the table only
        Map<String, Double> totals = new LinkedHashMap<>();
        segments.values().forEach(m -> m.forEach((bar, c) -> totals.merge(bar, c, Double::sum)));
        double cheapest = totals.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        List<String> apart = new ArrayList<>();
        for (Map.Entry<String, Double> t : totals.entrySet()) {
            if (t.getValue() > OFF_SCALE * cheapest) {
                apart.add(t.getKey() + " (" + Math.round(t.getValue()) + ")");
                bars.remove(t.getKey());
                segments.values().forEach(m -> m.remove(t.getKey()));
            }
        }
        segments.values().removeIf(Map::isEmpty);
        // the paper's steps from the bottom of a bar up in the order of its path, then the others as they came
        List<String> order = new ArrayList<>(segments.keySet());
        List<String> paper = new ArrayList<>(steps);
        order.sort(Comparator.comparingInt(g -> paper.contains(g) ? paper.indexOf(g) : paper.size()));
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String segment : order) {
            for (String bar : bars) {
                data.addValue(segments.get(segment).get(bar), segment, bar);
            }
        }
        CategoryAxis x = new CategoryAxis("configuration");
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        NumberAxis y = new NumberAxis("cycles per call");
        y.setNumberFormatOverride(format("0"));
        StackedBarRenderer renderer = new StackedBarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, stepColour(i));
        }
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart("Where the cycles go: the 8-byte call per step (" + processor + ")",
                new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle("every installed mechanism, and l3 with each Table 1 switch off; "
                + "one segment per step of the kernel's path", new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        if (!apart.isEmpty()) {
            chart.addSubtitle(new TextTitle("more than " + OFF_SCALE + " times the cheapest call, so in the table only: "
                    + String.join(", ", apart) + " cycles", new Font(Font.SANS_SERIF, Font.ITALIC, 12)));
        }
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        return draw(chart, "cycles");
    }

    /** @return a fixed colour for the i-th step: the palette, then the same hues darker (more steps than colours) */
    private static Paint stepColour(int i) {
        Color c = (Color) COLOURS[i % COLOURS.length];
        for (int round = i / COLOURS.length; round > 0; round--) {
            c = c.darker();
        }
        return c;
    }

    static DecimalFormat format(String pattern) {
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
    }

    /** Series by name, in first-seen order; paper series are named "NAME (paper)". */
    static Map<String, XYSeries> series(Table t, String simulatedLabel) {
        List<String> columns = t.columns();
        int xi = 0;
        int group = columns.indexOf("column");
        int simulated = columns.indexOf("simulated");
        int paper = columns.indexOf("paper");
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (Object[] row : t.rows()) {
            if (!(row[xi] instanceof Number xv)) {
                continue;
            }
            double xd = xv.doubleValue();
            if (group >= 0) {
                String name = String.valueOf(row[group]);
                add(series, name, xd, simulated < 0 ? null : row[simulated]);
                add(series, name + PAPER, xd, paper < 0 ? null : row[paper]);
            } else {
                for (int c = 0; c < columns.size(); c++) {
                    String col = columns.get(c);
                    if (c == xi || col.equals("deviation") || col.equals("unit")) {
                        continue;
                    }
                    String name = c == simulated ? simulatedLabel : c == paper ? simulatedLabel + PAPER : col;
                    add(series, name, xd, row[c]);
                }
            }
        }
        series.values().removeIf(s -> s.getItemCount() == 0);
        return series;
    }

    private static void add(Map<String, XYSeries> series, String name, double x, Object y) {
        XYSeries s = series.computeIfAbsent(name, n -> new XYSeries(n, true, true));
        if (y instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() > 0) {
            s.add(x, n.doubleValue());
        }
    }

    private static JFreeChart chart(String title, String subtitle, Map<String, XYSeries> series, ValueAxis x,
            ValueAxis y) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setAutoPopulateSeriesPaint(false);
        renderer.setAutoPopulateSeriesStroke(false);
        Map<String, Paint> colourOf = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(series.keySet());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            boolean isPaper = name.endsWith(PAPER);
            String base = isPaper ? name.substring(0, name.length() - PAPER.length()) : name;
            Paint colour = colourOf.computeIfAbsent(base, b -> stepColour(colourOf.size())); // past the palette: darker hues
            data.addSeries(series.get(name));
            renderer.setSeriesPaint(i, colour);
            renderer.setSeriesStroke(i, isPaper ? DASHED : SOLID);
            renderer.setSeriesShapesFilled(i, !isPaper);
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);
        return chart;
    }

    static Plot draw(JFreeChart chart, String idPrefix) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        g.setDefsKeyPrefix(idPrefix + "-"); // fixed ids instead of a time stamp: the same chart, the same bytes
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        String svg = g.getSVGDocument();
        BufferedImage image = chart.createBufferedImage(WIDTH, HEIGHT);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IllegalStateException("no PNG writer in this JRE");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Plot(svg, png.toByteArray());
    }
}
