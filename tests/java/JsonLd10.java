import com.github.jsonldjava.core.DocumentLoader;
import com.github.jsonldjava.core.JsonLdError;
import com.github.jsonldjava.core.JsonLdOptions;
import com.github.jsonldjava.core.JsonLdProcessor;
import com.github.jsonldjava.core.RemoteDocument;
import com.github.jsonldjava.utils.JsonUtils;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Reads a JSON-LD document with jsonld-java, a JSON-LD 1.0 processor, and prints its
 * statements as N-Quads. A context the document names is read from the given folder
 * (by file name) and never fetched; any other remote document is refused.
 *
 * Usage: java -cp JARS JsonLd10.java DOCUMENT CONTEXT_FOLDER
 */
public class JsonLd10 {
    public static void main(String[] args) throws Exception {
        Path document = Paths.get(args[0]);
        Path folder = Paths.get(args[1]);
        DocumentLoader local = new DocumentLoader() {
            @Override
            public RemoteDocument loadDocument(String url) throws JsonLdError {
                String name = url.substring(url.lastIndexOf('/') + 1);
                Path file = folder.resolve(name);
                if (!name.startsWith("cimo.context") || !Files.isRegularFile(file)) {
                    throw new JsonLdError(JsonLdError.Error.LOADING_REMOTE_CONTEXT_FAILED,
                                          "refusing to fetch " + url);
                }
                try (InputStream in = new FileInputStream(file.toFile())) {
                    return new RemoteDocument(url, JsonUtils.fromInputStream(in));
                } catch (java.io.IOException e) {
                    throw new JsonLdError(JsonLdError.Error.LOADING_REMOTE_CONTEXT_FAILED, e);
                }
            }
        };
        JsonLdOptions options = new JsonLdOptions("http://example.org/");
        options.setDocumentLoader(local);
        options.format = "application/n-quads";
        try (InputStream in = new FileInputStream(document.toFile())) {
            Object input = JsonUtils.fromInputStream(in);
            System.out.print(JsonLdProcessor.toRDF(input, options));
        }
    }
}
