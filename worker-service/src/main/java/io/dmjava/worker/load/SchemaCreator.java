package io.dmjava.worker.load;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlErrors;
import io.dmjava.worker.db.SqlText;
import io.dmjava.worker.dump.DumpFiles;
import io.dmjava.worker.dump.DumpMetadata;
import io.dmjava.worker.unit.UnitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Creates the routed target schemas and tables from the dumped CREATE statements, keeping whatever already
 * exists downstream ({@code IF NOT EXISTS}): a resumed load, or several shards merged into one table.
 */
final class SchemaCreator {
    private final DumpFiles files;

    SchemaCreator(DumpFiles files) {
        this.files = files;
    }

    /** @param routes each dumped table's target */
    void create(Connection c, DumpMetadata metadata, Map<DumpMetadata.TableDump, TableName> routes) {
        Set<String> createdSchemas = new HashSet<>();
        for (DumpMetadata.TableDump table : metadata.tables()) {
            TableName target = routes.get(table);
            if (createdSchemas.add(target.schema())) {
                String options = metadata.schemas().stream().filter(s -> s.schema().equals(table.schema())).findFirst()
                        .map(s -> databaseOptions(read(s.file()), s.schema())).orElse("");
                execute(c, "CREATE DATABASE IF NOT EXISTS " + SqlText.quote(target.schema()) + options, target.schema());
            }
            execute(c, createTable(read(table.schemaFile()), table, target), target.toString());
        }
    }

    /** The upstream CREATE TABLE with its name replaced by the routed one and IF NOT EXISTS added. */
    static String createTable(String showCreate, DumpMetadata.TableDump table, TableName target) {
        String prefix = "CREATE TABLE " + SqlText.quote(table.table());
        if (!showCreate.startsWith(prefix)) {
            throw new UnitException(ErrorCode.LOAD_CREATE_FAILED, target,
                    "the dumped statement does not start with " + prefix);
        }
        return "CREATE TABLE IF NOT EXISTS " + target.quoted() + showCreate.substring(prefix.length());
    }

    /** The part after the name in SHOW CREATE DATABASE, e.g. the default character set comment. */
    static String databaseOptions(String showCreate, String schema) {
        String prefix = "CREATE DATABASE " + SqlText.quote(schema);
        return showCreate.startsWith(prefix) ? showCreate.substring(prefix.length()) : "";
    }

    private String read(String relative) {
        try {
            return Files.readString(files.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnitException(ErrorCode.LOAD_CHUNK_CORRUPT, e, files.resolve(relative), e.getMessage());
        }
    }

    private static void execute(Connection c, String sql, String what) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new UnitException(ErrorCode.LOAD_CREATE_FAILED, e, what, SqlErrors.describe(e));
        }
    }
}
