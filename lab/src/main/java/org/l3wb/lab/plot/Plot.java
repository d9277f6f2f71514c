package org.l3wb.lab.plot;

/** One chart drawn twice: as an SVG document and as a PNG image. */
public record Plot(String svg, byte[] png) {
    public Plot {
        png = png.clone();
    }

    @Override
    public byte[] png() {
        return png.clone();
    }
}
