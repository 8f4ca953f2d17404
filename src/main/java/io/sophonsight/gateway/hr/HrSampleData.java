package io.sophonsight.gateway.hr;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;
import javax.sql.DataSource;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The embedded sample HR: a three-level department tree and its employees (Chinese and Latin
 * names), most with a small JPEG face drawn here, some without. Deterministic: the same rows and
 * the same photo bytes on every machine, so a fresh gateway always syncs the same sample.
 */
public class HrSampleData {

    /** The time every sample row was last "updated" in HR. */
    public static final LocalDateTime SAMPLE_UPDATED_AT = LocalDateTime.of(2026, 1, 1, 8, 0);

    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "晓东", "思远"};
    private static final String[] FIRST = {"Anna", "Ben", "Chloé", "David", "Elena", "Felix", "Grace", "Hugo", "Isabel", "Jonas",
            "Karim", "Lena", "Marco", "Nora", "Oscar", "Paula", "Rafael", "Sofia", "Tomás", "Yara"};
    private static final String[] LAST = {"Müller", "Smith", "García", "Rossi", "Dubois", "Novak", "Jensen", "O'Brien", "Silva", "Kowalski",
            "Andersson", "Martin", "Weber", "Costa", "Nguyen"};

    /** One department of the sample tree. */
    public record Department(String id, String name, String parentId) { }

    private final int people;

    public HrSampleData(int people) {
        this.people = people;
    }

    /** The Flyway Java migration that fills the sample schema created by {@code hr/sample/V1__*.sql}. */
    public BaseJavaMigration migration() {
        return new V2__Sample_rows(this);
    }

    /** Empties the sample tables and fills them again: the original sample, as on first start. */
    public void reset(DataSource hr) {
        try (Connection connection = hr.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM employee");
            statement.executeUpdate("DELETE FROM department");
            fill(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reset the sample HR database: " + e.getMessage(), e);
        }
    }

    public static List<Department> departments() {
        List<Department> tree = new ArrayList<>();
        tree.add(new Department("D100", "SophonSight 示例集团", null));
        String[][] divisions = {
                {"D110", "研发中心", "D111:平台研发部", "D112:算法研究部", "D113:Quality Assurance"},
                {"D120", "Operations", "D121:生产运营部", "D122:Logistics", "D123:设施管理部"},
                {"D130", "市场与销售", "D131:华东销售部", "D132:International Sales", "D133:品牌市场部"},
                {"D140", "Corporate Services", "D141:人力资源部", "D142:Finance", "D143:法务合规部"}};
        for (String[] division : divisions) {
            tree.add(new Department(division[0], division[1], "D100"));
            for (int i = 2; i < division.length; i++) {
                String[] child = division[i].split(":", 2);
                tree.add(new Department(child[0], child[1], division[0]));
            }
        }
        return tree;
    }

    void fill(Connection connection) throws SQLException {
        Timestamp updatedAt = Timestamp.valueOf(SAMPLE_UPDATED_AT);
        List<Department> tree = departments();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO department (id, name, parent_id, updated_at) VALUES (?, ?, ?, ?)")) {
            for (Department d : tree) {
                insert.setString(1, d.id());
                insert.setString(2, d.name());
                insert.setString(3, d.parentId());
                insert.setTimestamp(4, updatedAt);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        List<Department> homes = tree.subList(1, tree.size()); // everyone below the group itself
        Random random = new Random(20260101L);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO employee (id, name, department_id, "
                + "job_number, email, mobile, photo, photo_path, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)")) {
            for (int i = 1; i <= people; i++) {
                boolean chinese = random.nextInt(3) != 0;
                String name = chinese
                        ? SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)]
                        : FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
                String id = String.format("E%05d", i);
                insert.setString(1, id);
                insert.setString(2, name);
                insert.setString(3, homes.get(random.nextInt(homes.size())).id());
                insert.setString(4, String.format("J%05d", i));
                insert.setString(5, id.toLowerCase() + "@example.com");
                insert.setString(6, String.format("138%08d", random.nextInt(100_000_000)));
                insert.setBytes(7, i % 8 == 5 ? null : face(i, 96)); // one in eight has no photo yet
                insert.setTimestamp(8, updatedAt);
                insert.addBatch();
                if (i % 500 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }

    /**
     * A deterministic JPEG "face" for a seed: skin tone, hair, eyes and mouth vary with the seed,
     * so each person's photo bytes differ. Drawn headless with Java2D.
     */
    public static byte[] face(long seed, int size) {
        Random random = new Random(seed * 7919L + 17L);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(200 + random.nextInt(40), 210 + random.nextInt(30), 220 + random.nextInt(30)));
            g.fillRect(0, 0, size, size);
            for (int i = 0; i < size / 4; i++) { // background texture, so larger photos carry more bytes
                g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), 40));
                g.fillOval(random.nextInt(size), random.nextInt(size), 2 + random.nextInt(size / 8 + 1), 2 + random.nextInt(size / 8 + 1));
            }
            int skin = random.nextInt(60);
            g.setColor(new Color(235 - skin, 200 - skin, 170 - skin));
            g.fillOval(size / 5, size / 6, size * 3 / 5, size * 3 / 4);
            g.setColor(new Color(random.nextInt(80), random.nextInt(60), random.nextInt(40)));
            g.fillArc(size / 5, size / 8, size * 3 / 5, size * 2 / 5, 0, 180);
            g.setColor(Color.DARK_GRAY);
            int eyeY = size * 2 / 5 + random.nextInt(size / 20 + 1);
            int eye = Math.max(2, size / 14);
            g.fillOval(size * 2 / 5 - eye, eyeY, eye, eye);
            g.fillOval(size * 3 / 5, eyeY, eye, eye);
            g.setStroke(new BasicStroke(Math.max(1f, size / 48f)));
            g.setColor(new Color(150, 60, 60));
            g.drawArc(size * 2 / 5, size * 3 / 5, size / 5, size / 10 + random.nextInt(size / 20 + 1), 180, 180);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", jpeg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jpeg.toByteArray();
    }

    /** Flyway Java migration: version 2 of the sample schema, its rows. */
    @SuppressWarnings("checkstyle:TypeName")
    static final class V2__Sample_rows extends BaseJavaMigration {
        private final HrSampleData sample;

        V2__Sample_rows(HrSampleData sample) {
            this.sample = sample;
        }

        @Override
        public void migrate(Context context) throws Exception {
            sample.fill(context.getConnection());
        }
    }
}
