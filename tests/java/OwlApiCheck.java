// Loads an ontology file with the OWL API 5 (the library Protégé is built on)
// in strict mode, with the format given explicitly, and prints what a
// Protégé user would run into: unparsed triples and OWL 2 DL profile
// violations. Output: one "key<TAB>value" line per fact.
import java.io.File;
import java.util.List;
import java.util.stream.Collectors;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.FunctionalSyntaxDocumentFormat;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlApiCheck {
    public static void main(String[] args) throws Exception {
        String kind = args[0];
        File file = new File(args[1]);
        boolean strict = args.length > 2 && args[2].equals("strict");
        OWLDocumentFormat format;
        switch (kind) {
            case "rdfxml": format = new RDFXMLDocumentFormat(); break;
            case "turtle": format = new TurtleDocumentFormat(); break;
            case "ofn": format = new FunctionalSyntaxDocumentFormat(); break;
            default: throw new IllegalArgumentException("unknown format " + kind);
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration().setStrict(strict);
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(
            new FileDocumentSource(file, format), config);
        System.out.println("ontology\t" + ontology.getOntologyID().getOntologyIRI().map(Object::toString).orElse(""));
        System.out.println("version\t" + ontology.getOntologyID().getVersionIRI().map(Object::toString).orElse(""));
        System.out.println("axioms\t" + ontology.getAxiomCount());
        System.out.println("logical_axioms\t" + ontology.getLogicalAxiomCount());
        System.out.println("format\t" + manager.getOntologyFormat(ontology).getKey());
        long unparsed = 0;
        OWLOntologyLoaderMetaData meta = manager.getOntologyFormat(ontology).getOntologyLoaderMetaData().orElse(null);
        if (meta instanceof RDFParserMetaData) {
            List<String> triples = ((RDFParserMetaData) meta).getUnparsedTriples()
                .map(Object::toString).sorted().collect(Collectors.toList());
            unparsed = triples.size();
            for (String t : triples) System.out.println("unparsed_triple\t" + t);
        }
        System.out.println("unparsed\t" + unparsed);
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation v : report.getViolations()) {
            System.out.println("violation\t" + v.toString().replace('\n', ' '));
        }
        System.out.println("dl_violations\t" + report.getViolations().size());
        // The OWL API turns RDF it cannot translate into owlapi/error#ErrorN entities.
        long errors = ontology.signature()
            .filter(e -> e.getIRI().toString().startsWith("http://org.semanticweb.owlapi/error#")).count();
        System.out.println("error_entities\t" + errors);
        if (args.length > 3 && args[3].equals("dump")) {
            ontology.axioms().map(a -> "axiom\t" + a.toString().replace('\n', ' ')).sorted()
                .forEach(System.out::println);
        }
    }
}
