package io.dmjava.worker.dump;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.db.SqlText;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Writes the CREATE DATABASE and CREATE TABLE statements of the dumped schemas and tables. */
final class SchemaDumper {
    private final DumpFiles files;

    SchemaDumper(DumpFiles files) {
        this.files = files;
    }

    /** Writes {@code schema/dNNNNN.*.sql} for each schema holding a dumped table. */
    List<DumpMetadata.SchemaDump> dumpSchemas(Connection c, List<TableInfo> tables) throws SQLException, IOException {
        Set<String> schemas = new LinkedHashSet<>();
        tables.forEach(t -> schemas.add(t.name().schema()));
        List<DumpMetadata.SchemaDump> out = new ArrayList<>();
        int i = 0;
        for (String schema : schemas) {
            String file = schemaFile(i++, schema);
            files.writeText(files.resolve(file), showCreate(c, "SHOW CREATE DATABASE " + SqlText.quote(schema)));
            out.add(new DumpMetadata.SchemaDump(schema, file));
        }
        return out;
    }

    /** Writes {@code schema/tNNNNN.*.sql} with the table's SHOW CREATE TABLE and returns its relative path. */
    String dumpTable(Connection c, TableInfo table, int index) throws SQLException, IOException {
        String file = tableFile(index, table.name());
        files.writeText(files.resolve(file), showCreate(c, "SHOW CREATE TABLE " + table.name().quoted()));
        return file;
    }

    /** The file of the {@code index}-th schema's CREATE DATABASE, relative to the dump directory. */
    static String schemaFile(int index, String schema) {
        return "schema/" + String.format("d%05d.%s.sql", index, SqlText.fileSafe(schema, 60));
    }

    /** The file of table {@code index}'s CREATE TABLE, relative to the dump directory. */
    static String tableFile(int index, TableName name) {
        return "schema/" + String.format("t%05d.%s.%s.sql", index, SqlText.fileSafe(name.schema(), 40),
                SqlText.fileSafe(name.table(), 60));
    }

    private static String showCreate(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(2);
        }
    }
}
