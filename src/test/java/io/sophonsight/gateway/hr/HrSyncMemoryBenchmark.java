package io.sophonsight.gateway.hr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.sql.DataSource;

import io.sophonsight.gateway.GatewayTestSupport;
import io.sophonsight.gateway.bench.BenchMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory benchmark of the streaming HR sync (only with {@code -Dbench=true}; {@code bench/hr-sync-bench.sh}
 * runs it in a JVM limited to {@code -Xmx256m}, bench/run.sh as part {@code hr-stream}): a first full sync of
 * 100,000 people whose 100 KB photos are files under {@code hr.photo.base-dir} ({@code hr.photo.source=path}).
 * Finishing inside that heap limit is the figure; next to it: the peak heap in use (sampled every 20 ms, garbage
 * included), the live heap at its peak after a full collection, and at the end.
 * The simulator keeps the ids of uploaded photos, not their bytes, so its memory is not what is measured.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
@TestPropertySource(properties = "hr.photo.source=path")
class HrSyncMemoryBenchmark extends GatewayTestSupport {

    @Autowired
    @Qualifier("hrDataSource")
    DataSource hrDataSource;

    @Autowired
    @Qualifier("dataSource")
    DataSource gatewayDataSource;

    @Value("${hr.photo.base-dir}")
    Path photoDir;

    @Value("${hr.sync.parallelism}")
    int parallelism;

    @Value("${hr.sync.batch-size}")
    int batchSize;

    @Test
    void firstFullSyncOfOneHundredThousandPeopleWithHundredKilobytePhotoFilesStaysInTheHeap() throws Exception {
        int people = Integer.getInteger("bench.stream-people", 100_000);
        int photoBytes = Integer.getInteger("bench.photo-bytes", 100 * 1024);
        int files = Integer.getInteger("bench.photo-files", 1_000);
        // Given 1,000 distinct 100 KB JPEG files in the photo folder, and an HR of 100,000 people each naming
        // one of them (every person's photo is read, hashed and uploaded on its own), on an empty platform
        writePhotoFiles(files, photoBytes);
        fillHr(people, files);
        new JdbcTemplate(gatewayDataSource).update("DELETE FROM sync_state");
        simulator.state().reset();
        simulator.state().keepPhotoBytes(false);

        // When a full run syncs all of it
        HrSyncBenchmark.Measure measure = HrSyncBenchmark.Measure.start();
        HrSyncRun run = producer.requestBodyAndHeader("direct:hr-sync-run", null, "HrSyncMode", "FULL", HrSyncRun.class);
        HrSyncBenchmark.Measure.Result result = measure.stop();

        // Then everyone is on the platform with a face, inside the JVM's heap limit; report the peak heap in use
        assertThat(run.getStatus()).isEqualTo("COMPLETED");
        assertThat(run.getCreated()).isEqualTo(people + HrSampleData.departments().size());
        assertThat(simulator.state().people()).hasSize(people);
        assertThat(simulator.state().photoCount()).isEqualTo(people);
        long maxHeapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        String row = String.format("| streaming full sync, %,d people, %,d-byte photo files, heap limit %,d MB | %d | %.1f s "
                        + "| %.0f people/s | %.1f s | %,d MB in use; live: %,d MB peak after a full GC, %,d MB at the end |", people,
                photoBytes, maxHeapMb, parallelism, result.wallSeconds(), people / result.wallSeconds(), result.cpuSeconds(),
                result.peakHeapMb(), result.peakAfterGcMb(), result.liveAtEndMb());
        System.out.println("BENCH " + row);
        Path results = Path.of("target", "bench", "hr-sync-results.md");
        Files.createDirectories(results.getParent());
        Files.writeString(results, row + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        BenchMetrics.record("hr.stream.heap", String.format("HR streaming full sync, %,d people with %,d KB photo files: "
                        + "live heap at its peak", people, photoBytes / 1024),
                Math.max(result.peakAfterGcMb(), result.liveAtEndMb()), "MB",
                String.format("target < 256 MB; completed in a JVM with a %,d MB heap limit; whole JVM (gateway, simulator "
                                + "holding %,d people, both H2): live %,d MB at its peak after a full GC, %,d MB at the end, "
                                + "%,d MB in use at most (garbage included); batches of %d; %.0f people/s, %.1f s wall, gateway "
                                + "CPU %.2f ms per person", maxHeapMb, people, result.peakAfterGcMb(), result.liveAtEndMb(),
                        result.peakHeapMb(), batchSize, people / result.wallSeconds(), result.wallSeconds(),
                        result.gatewayCpuSeconds() * 1000 / people));
        simulator.state().keepPhotoBytes(true);
    }

    /** Distinct JPEG files: a sample face padded after its end marker to the size (still sniffs as JPEG). */
    private void writePhotoFiles(int files, int bytes) throws IOException {
        Files.createDirectories(photoDir);
        Random random = new Random(42);
        for (int i = 0; i < files; i++) {
            byte[] face = HrSampleData.face(80_000 + i, 96);
            byte[] file = new byte[Math.max(bytes, face.length)];
            random.nextBytes(file);
            System.arraycopy(face, 0, file, 0, face.length);
            Files.write(photoDir.resolve(String.format("face-%04d.jpg", i)), file);
        }
    }

    private void fillHr(int people, int files) {
        JdbcTemplate hr = new JdbcTemplate(hrDataSource);
        List<HrSampleData.Department> homes = HrSyncBenchmark.emptyHrWithTheSampleDepartments(hr);
        Timestamp at = Timestamp.valueOf(HrSampleData.SAMPLE_UPDATED_AT);
        List<Object[]> batch = new ArrayList<>();
        for (int i = 1; i <= people; i++) {
            batch.add(new Object[] {String.format("S%06d", i), "Stream Person " + i, homes.get(i % homes.size()).id(),
                    "J" + i, "s" + i + "@example.com", "139" + String.format("%08d", i), String.format("face-%04d.jpg", i % files), at});
            if (batch.size() == 1000 || i == people) {
                hr.batchUpdate("INSERT INTO employee (id, name, department_id, job_number, email, mobile, photo_path, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch);
                batch.clear();
            }
        }
    }
}
