package dev.nin.ingest.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.nin.contracts.v1.TrainingRequest;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Generated training requests as ingest reads them off Kafka: random bytes, and valid requests with
 * random field values or flipped bytes. Each is either a run ingest can publish or refused as
 * unparseable or invalid (both dead letters), never another exception. Seed and count: {@code
 * -Dnin.fuzz.seed}, {@code -Dnin.fuzz.cases}.
 */
class TrainingRequestFuzzTest {

  private static final long SEED = Long.getLong("nin.fuzz.seed", 20261201L);
  private static final int CASES = Integer.getInteger("nin.fuzz.cases", 2000);

  @Test
  void everyGeneratedRequestIsARunOrADeadLetterNeverAnotherException() {
    var random = new SplittableRandom(SEED);
    int runs = 0;
    int unparseable = 0;
    int invalid = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] bytes = generated(random);
      try {
        var spec = RunRequests.validate(TrainingRequest.parseFrom(bytes), 60_000, 10_000);
        assertThat(spec.batchSize()).isBetween(1, 4096);
        assertThat(spec.epochs()).isPositive();
        assertThat(spec.cropPadding()).isBetween(0, 8);
        runs++;
      } catch (InvalidProtocolBufferException e) {
        unparseable++;
      } catch (InvalidRequestException e) {
        invalid++;
      }
    }
    System.out.printf(
        "generated training requests: %d cases (seed %d): %d runs, %d unparseable, %d invalid,"
            + " 0 other exceptions%n",
        CASES, SEED, runs, unparseable, invalid);
    assertThat(runs + unparseable + invalid).isEqualTo(CASES);
    assertThat(invalid).as("the generator reaches validation").isPositive();
  }

  private static byte[] generated(SplittableRandom random) {
    switch (random.nextInt(3)) {
      case 0 -> {
        byte[] bytes = new byte[random.nextInt(0, 200)];
        random.nextBytes(bytes);
        return bytes;
      }
      case 1 -> {
        return request(random).toByteArray();
      }
      default -> {
        byte[] bytes = request(random).toByteArray();
        for (int flips = random.nextInt(1, 4); flips > 0 && bytes.length > 0; flips--) {
          bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
      }
    }
  }

  private static TrainingRequest request(SplittableRandom random) {
    return TrainingRequest.newBuilder()
        .setRunId(
            random.nextInt(5) == 0
                ? "not-a-uuid-" + random.nextInt()
                : new UUID(random.nextLong(), random.nextLong()).toString()) // seeded too
        .setSeed(random.nextLong())
        .setBatchSize(edge(random, 1, 4096))
        .setEpochs(edge(random, 1, 1000))
        .setTrainLimit(edge(random, 0, 60_000))
        .setTestLimit(edge(random, 0, 10_000))
        .setCropPadding(edge(random, 0, 8))
        .build();
  }

  /** Mostly in range, often at or just past an edge, sometimes anything. */
  private static int edge(SplittableRandom random, int min, int max) {
    return switch (random.nextInt(6)) {
      case 0 -> min - 1;
      case 1 -> max + 1;
      case 2 -> random.nextInt();
      case 3 -> min;
      default -> random.nextInt(min, max + 1);
    };
  }
}
