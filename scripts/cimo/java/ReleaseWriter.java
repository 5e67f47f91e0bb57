// Writes the release in the formats whose reference writers live in the OWL API
// (5.1.20, the library Protégé and ROBOT are built on): RDF/XML (cimo.owl),
// OWL Functional Syntax (cimo.ofn) and OBO (cimo.obo).
//
// Usage: ReleaseWriter [--idspace PREFIX=IRI ...] IN.ttl OUT.ext [OUT.ext ...] [-- IN.ttl OUT.ext ...]
// The format of each output follows from its suffix (.owl, .ofn, .obo). The
// input is always read as Turtle, named explicitly: when the OWL API guesses,
// its lenient OBO parser "loads" malformed Turtle. Any RDF the OWL API could
// not translate into axioms is an error, so no statement is silently lost.
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.obolibrary.obo2owl.OWLAPIOwl2Obo;
import org.obolibrary.oboformat.model.Clause;
import org.obolibrary.oboformat.model.Frame;
import org.obolibrary.oboformat.model.OBODoc;
import org.obolibrary.oboformat.parser.OBOFormatConstants.OboFormatTag;
import org.obolibrary.oboformat.writer.OBOFormatWriter;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.FunctionalSyntaxDocumentFormat;
import org.semanticweb.owlapi.formats.PrefixDocumentFormat;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyCreationException;
import org.semanticweb.owlapi.model.OWLOntologyManager;

public class ReleaseWriter {
    public static void main(String[] args) throws Exception {
        List<List<String>> jobs = new ArrayList<>();
        List<String> current = new ArrayList<>();
        Map<String, String> idspaces = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--idspace") && i + 1 < args.length) {
                String[] pair = args[++i].split("=", 2);
                if (pair.length != 2) fail("--idspace takes PREFIX=IRI, not " + args[i]);
                idspaces.put(pair[0], pair[1]);
            }
            else if (arg.equals("--")) { jobs.add(current); current = new ArrayList<>(); }
            else current.add(arg);
        }
        jobs.add(current);
        for (List<String> job : jobs) {
            if (job.size() < 2) fail("usage: ReleaseWriter IN.ttl OUT.(owl|ofn|obo) ... [-- ...]");
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            File input = new File(job.get(0));
            OWLOntology ontology = null;
            try {
                ontology = manager.loadOntologyFromOntologyDocument(
                    new FileDocumentSource(input, new TurtleDocumentFormat()));
            } catch (OWLOntologyCreationException e) {
                String message = String.valueOf(e.getMessage());
                int cut = message.indexOf("\tat ");
                fail(input + ": the OWL API cannot read this Turtle: "
                    + (cut > 0 ? message.substring(0, cut) : message).trim());
            }
            PrefixDocumentFormat source = (PrefixDocumentFormat) manager.getOntologyFormat(ontology);
            checkNothingUnparsed(input, source);
            for (String out : job.subList(1, job.size())) {
                byte[] data = render(manager, ontology, source, idspaces, out);
                Files.write(new File(out).toPath(), data);
            }
        }
    }

    static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }

    static void checkNothingUnparsed(File input, OWLDocumentFormat format) {
        Object meta = format.getOntologyLoaderMetaData().orElse(null);
        if (meta instanceof RDFParserMetaData) {
            List<String> triples = new ArrayList<>();
            ((RDFParserMetaData) meta).getUnparsedTriples().forEach(t -> triples.add(t.toString()));
            if (!triples.isEmpty()) {
                triples.sort(null);
                fail(input + ": the OWL API could not translate " + triples.size()
                    + " triple(s) into OWL, for example " + triples.get(0)
                    + "; declare the entities they use or fix the class expression");
            }
        }
    }

    static byte[] render(OWLOntologyManager manager, OWLOntology ontology, PrefixDocumentFormat source,
                         Map<String, String> idspaces, String out) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (out.endsWith(".obo")) {
            writeObo(ontology, source, idspaces, bytes);
            return bytes.toByteArray();
        }
        PrefixDocumentFormat format;
        if (out.endsWith(".owl")) format = new RDFXMLDocumentFormat();
        else if (out.endsWith(".ofn")) format = new FunctionalSyntaxDocumentFormat();
        else { fail("unknown output format: " + out); return null; }
        format.copyPrefixesFrom(source);
        // The Turtle parser's placeholder default namespace would become xml:base;
        // ROBOT's layout uses the ontology IRI instead.
        ontology.getOntologyID().getOntologyIRI()
            .ifPresent(iri -> format.setDefaultPrefix(iri.toString() + "#"));
        manager.saveOntology(ontology, format, bytes);
        return bytes.toByteArray();
    }

    /** OBO 1.4 through the OWL API's OWL-to-OBO translation (the one ROBOT uses). Every id
     * space in use is declared (CIMO's from the Turtle prefixes, the OBO ontologies' from
     * the entities' PURLs, the cross-references' from --idspace), so OBO readers expand
     * CIMO:0000110 and drugbank:DB00073 to their real IRIs rather than guess OBO PURLs. */
    static void writeObo(OWLOntology ontology, PrefixDocumentFormat source, Map<String, String> extra,
                         ByteArrayOutputStream bytes) throws Exception {
        OWLAPIOwl2Obo translator = new OWLAPIOwl2Obo(ontology.getOWLOntologyManager());
        OBODoc doc = translator.convert(ontology);
        Frame header = doc.getHeaderFrame();
        Map<String, String> idspaces = new TreeMap<>(extra);
        String purl = "http://purl.obolibrary.org/obo/";
        for (Map.Entry<String, String> e : source.getPrefixName2PrefixMap().entrySet()) {
            String name = e.getKey().replace(":", "");
            if (!name.isEmpty() && e.getValue().endsWith("_")) idspaces.put(name, e.getValue());
        }
        ontology.signature().forEach(entity -> {
            String iri = entity.getIRI().toString();
            int cut = iri.indexOf('_', purl.length());
            if (iri.startsWith(purl) && cut > purl.length()) {
                String prefix = iri.substring(purl.length(), cut);
                if (prefix.matches("[A-Za-z][A-Za-z0-9]*")) idspaces.put(prefix, purl + prefix + "_");
            }
        });
        for (Map.Entry<String, String> e : idspaces.entrySet()) {
            Clause clause = new Clause(OboFormatTag.TAG_IDSPACE);
            clause.addValue(e.getKey());
            clause.addValue(e.getValue());
            header.addClause(clause);
        }
        try (Writer writer = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
            java.io.BufferedWriter buffered = new java.io.BufferedWriter(writer);
            new OBOFormatWriter().write(doc, buffered);
            buffered.flush();
        }
    }
}
