package dev.trainyard.prep.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairRecordParserTest {
    private final PairRecordParser quora = PairRecordParser.defaultLayout(PairFormat.QUORA);

    @Test
    void quoraRowGivesIdQuestionsAndLabel() {
        String line = "402555\t536040\t536041\tHow do I control my horny emotions?\tHow do you control your horniness?\t1";
        PairRecord r = quora.parse("f.tsv", 3, PairRecordParser.splitTsv(line), line);
        assertFalse(r.rejected());
        assertEquals("402555", r.pairId);
        assertEquals("How do I control my horny emotions?", r.question1);
        assertEquals(1, r.label);
        assertEquals(3, r.sourceRow);
    }

    @Test
    void badLabelAndWrongFieldCountAreRejectedWithTheirReason() {
        String bad = "1\t2\t3\tquestion one here\tquestion two here\tmaybe";
        assertEquals(RejectReason.BAD_LABEL, quora.parse("f", 2, PairRecordParser.splitTsv(bad), bad).reason);
        String shortRow = "1\t2\tquestion one here\t0";
        PairRecord r = quora.parse("f", 5, PairRecordParser.splitTsv(shortRow), shortRow);
        assertEquals(RejectReason.WRONG_FIELD_COUNT, r.reason);
        assertTrue(r.detail.contains("expected 6"), r.detail);
        assertEquals(shortRow, r.raw);
    }

    @Test
    void textTheDecoderCouldNotReadIsRejected() {
        String line = "1\t2\t3\tcaf\uFFFD question\tanother question\t0";
        assertEquals(RejectReason.UNDECODABLE_TEXT, quora.parse("f", 2, PairRecordParser.splitTsv(line), line).reason);
    }

    @Test
    void mrpcHeaderWithBomIsRecognisedAndIdsCombine() {
        PairRecordParser p = PairRecordParser.fromHeader(PairFormat.MRPC,
                PairRecordParser.splitTsv("\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\r"));
        assertNotNull(p);
        String line = "1\t702876\t702977\tAmrozi accused his brother.\tReferring to him, Amrozi accused his brother.\r";
        PairRecord r = p.parse("m", 2, PairRecordParser.splitTsv(line), line);
        assertEquals("702876-702977", r.pairId);
        assertEquals(1, r.label);
        assertEquals("Referring to him, Amrozi accused his brother.", r.question2, "the CR of CRLF files is not part of the text");
    }

    @Test
    void glueTestHeaderWithoutLabelsReadsUnlabeledPairs() {
        PairRecordParser p = PairRecordParser.fromHeader(PairFormat.QUORA, new String[]{"id", "question1", "question2"});
        assertNotNull(p);
        assertFalse(p.labeled());
        PairRecord r = p.parse("t", 2, new String[]{"0", "Would the idea scare you?", "Do you think so?"}, "");
        assertFalse(r.rejected());
        assertNull(r.label);
    }

    @Test
    void aDataLineIsNotMistakenForAHeader() {
        assertNull(PairRecordParser.fromHeader(PairFormat.QUORA, PairRecordParser.splitTsv("1\t2\t3\ta\tb\t0")));
    }
}
