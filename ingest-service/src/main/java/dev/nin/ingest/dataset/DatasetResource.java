package dev.nin.ingest.dataset;

import dev.nin.contracts.FashionMnist;
import dev.nin.dataset.DatasetException;
import dev.nin.dataset.FashionMnistFiles;
import dev.nin.dataset.FashionMnistFiles.Split;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/datasets/fashion-mnist")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

  private final FashionMnistDataset dataset;

  DatasetResource(FashionMnistDataset dataset) {
    this.dataset = dataset;
  }

  /** A file of the data set as verified at start-up. */
  public record DatasetFile(String name, String path, String sha256, boolean verified) {}

  /** A split: how many images, and how many of each class. */
  public record SplitInfo(int count, Map<String, Integer> classCounts) {}

  public record DatasetInfo(
      String name, String dir, List<DatasetFile> files, Map<String, SplitInfo> splits) {}

  @GET
  @Operation(summary = "The Fashion-MNIST files, their checksums, and counts per split and class")
  public DatasetInfo describe() throws DatasetException {
    var files = new ArrayList<DatasetFile>();
    for (Split split : Split.values()) {
      for (String name : List.of(split.imagesFile(), split.labelsFile())) {
        files.add(
            new DatasetFile(
                name,
                FashionMnistFiles.locate(dataset.dir(), name).toString(),
                FashionMnistFiles.SHA256.get(name),
                true));
      }
    }
    var splits = new LinkedHashMap<String, SplitInfo>();
    splits.put("train", info(Split.TRAIN));
    splits.put("test", info(Split.TEST));
    return new DatasetInfo("fashion-mnist", dataset.dir().toString(), files, splits);
  }

  private SplitInfo info(Split split) {
    var images = dataset.split(split);
    int[] counts = images.classCounts(FashionMnist.CLASS_COUNT);
    var byName = new LinkedHashMap<String, Integer>();
    for (int c = 0; c < counts.length; c++) {
      byName.put(FashionMnist.className(c), counts[c]);
    }
    return new SplitInfo(images.count(), byName);
  }
}
