package dev.devtime.functions.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CsvFieldTest {

    @Test
    void textASpreadsheetWouldRunAsAFormulaIsQuotedWithALeadingApostrophe() {
        assertEquals("\"'=1+1\"", ExportService.csvField("=1+1"));
        assertEquals("\"'+1\"", ExportService.csvField("+1"));
        assertEquals("\"'-1\"", ExportService.csvField("-1"));
        assertEquals("\"'@SUM(A1:A9)\"", ExportService.csvField("@SUM(A1:A9)"));
        assertEquals("\"'\tx\"", ExportService.csvField("\tx"));
        assertEquals("\"'\rx\"", ExportService.csvField("\rx"));
        assertEquals(
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
                ExportService.csvField("=HYPERLINK(\"http://x\",\"y\")"));
    }

    @Test
    void numbersAndOrdinaryTextAreWrittenAsTheyAre() {
        assertEquals("-5", ExportService.csvField(-5L));
        assertEquals("-1.500", ExportService.csvField(new BigDecimal("-1.500")));
        assertEquals("a-b", ExportService.csvField("a-b"));
        assertEquals("\"a,b\"", ExportService.csvField("a,b"));
        assertEquals("", ExportService.csvField(null));
        assertEquals("", ExportService.csvField(""));
    }
}
