package io.dmjava.worker.dump;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.dump.DumpMetadata.ChunkDump;
import io.dmjava.worker.dump.DumpMetadata.DumpedColumn;
import io.dmjava.worker.dump.PlanJournal.PlannedChunk;
import io.dmjava.worker.dump.PlanJournal.PlannedTable;
import io.dmjava.worker.unit.UnitContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuing a dump whose plan was saved by an earlier run, possibly on another worker: the same tables, chunk
 * ids and key ranges; the chunks already loaded downstream are not read again, the others are read from a new
 * snapshot. The chunks then come from different binlog positions, which only the sync unit's safe-mode replay
 * from the smallest to the largest makes consistent: so a plan is continued only in task mode {@code all}, or
 * with consistency {@code none} (where the user accepted per-connection snapshots). A plain {@code full} dump is
 * taken again from one snapshot, and the load drops and reloads the tables it had filled.
 *
 * @param tables the planned tables as the upstream has them now, in plan order (list index = table index)
 * @param plans  per table, every planned chunk
 * @param loaded the chunks loaded from this plan, by id
 */
record PlanResume(PlanJournal.Plan plan, List<TableInfo> tables, List<List<ChunkSpec>> plans,
                  Map<String, ChunkDump> loaded) {
    private static final Logger log = LoggerFactory.getLogger(PlanResume.class);

    /** The saved plan to continue, if there is one this dump may continue (see the class comment). */
    static Optional<PlanResume> find(PlanJournal journal, UnitContext ctx, String dumpId, List<TableInfo> current,
                                     Consistency consistency) {
        Optional<PlanJournal.Saved> saved = journal.find(ctx, dumpId);
        if (saved.isEmpty() || saved.get().loaded().isEmpty()) {
            return Optional.empty(); // nothing loaded yet: a fresh plan costs nothing more
        }
        String who = "subtask " + ctx.taskName() + "/" + ctx.sourceName() + ": plan " + saved.get().plan().planId();
        if (!"all".equals(ctx.task().taskMode()) && consistency != Consistency.NONE) {
            log.info("{} has {} chunks loaded, but task mode {} needs one consistent snapshot: dumping everything again",
                    who, saved.get().loaded().size(), ctx.task().taskMode());
            return Optional.empty();
        }
        String why = unusable(saved.get(), current);
        if (why != null) {
            log.warn("{} cannot be continued ({}): dumping everything again", who, why);
            return Optional.empty();
        }
        return Optional.of(of(saved.get(), current));
    }

    /** Why the saved plan cannot be continued on the upstream as it is now, or null. */
    private static String unusable(PlanJournal.Saved saved, List<TableInfo> current) {
        if (saved.loaded().values().stream().anyMatch(c -> c.position() == null || !c.position().isKnown())) {
            return "a loaded chunk has no binlog position";
        }
        Map<TableName, TableInfo> byName = current.stream().collect(Collectors.toMap(TableInfo::name, Function.identity()));
        List<PlannedTable> tables = saved.plan().tables();
        for (int i = 0; i < tables.size(); i++) {
            PlannedTable t = tables.get(i);
            TableInfo now = byName.get(new TableName(t.schema(), t.table()));
            if (t.index() != i || now == null) {
                return "table " + t.schema() + "." + t.table() + " is no longer selected";
            }
            if (!columns(now).equals(t.columns()) || !java.util.Objects.equals(keyIndex(now), t.keyIndex())) {
                return "the columns or key of " + t.schema() + "." + t.table() + " changed";
            }
        }
        Set<String> ids = new java.util.HashSet<>();
        tables.forEach(t -> java.util.stream.IntStream.range(0, t.chunks().size()).forEach(s -> ids.add(ChunkSpec.idOf(t.index(), s))));
        return ids.containsAll(saved.loaded().keySet()) ? null : "the loaded chunks are not those of the plan";
    }

    private static PlanResume of(PlanJournal.Saved saved, List<TableInfo> current) {
        Map<TableName, TableInfo> byName = current.stream().collect(Collectors.toMap(TableInfo::name, Function.identity()));
        List<TableInfo> tables = new ArrayList<>();
        List<List<ChunkSpec>> plans = new ArrayList<>();
        for (PlannedTable t : saved.plan().tables()) {
            TableInfo info = byName.get(new TableName(t.schema(), t.table()));
            tables.add(info);
            List<ChunkSpec> chunks = new ArrayList<>();
            for (int seq = 0; seq < t.chunks().size(); seq++) {
                PlannedChunk c = t.chunks().get(seq);
                chunks.add(new ChunkSpec(ChunkSpec.idOf(t.index(), seq), info, t.index(), seq, c.where(), c.params()));
            }
            plans.add(chunks);
        }
        return new PlanResume(saved.plan(), tables, plans, saved.loaded());
    }

    /**
     * Writes the schema files from the plan's statements (not the upstream's current ones: the target tables were
     * created from these, and the sync unit starts from the plan's positions with them).
     */
    List<DumpMetadata.SchemaDump> writeSchemaFiles(DumpFiles files, List<String> tableFiles) throws IOException {
        List<DumpMetadata.SchemaDump> schemas = new ArrayList<>();
        Map<String, String> databases = new java.util.LinkedHashMap<>();
        plan.tables().forEach(t -> databases.putIfAbsent(t.schema(), t.createDatabase()));
        int i = 0;
        for (Map.Entry<String, String> d : databases.entrySet()) {
            String file = SchemaDumper.schemaFile(i++, d.getKey());
            files.writeText(files.resolve(file), d.getValue());
            schemas.add(new DumpMetadata.SchemaDump(d.getKey(), file));
        }
        for (PlannedTable t : plan.tables()) {
            String file = SchemaDumper.tableFile(t.index(), tables.get(t.index()).name());
            files.writeText(files.resolve(file), t.createTable());
            tableFiles.add(file);
        }
        return schemas;
    }

    /** The plan of a fresh dump, to save before its first chunk is read. */
    static PlanJournal.Plan toJournal(String planId, DumpFiles files, List<TableInfo> tables, List<List<ChunkSpec>> plans,
                                      List<DumpMetadata.SchemaDump> schemas, List<String> tableFiles) throws IOException {
        Map<String, String> databases = new HashMap<>();
        for (DumpMetadata.SchemaDump s : schemas) {
            databases.put(s.schema(), read(files, s.file()));
        }
        List<PlannedTable> out = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            TableInfo t = tables.get(i);
            out.add(new PlannedTable(i, t.name().schema(), t.name().table(), databases.getOrDefault(t.name().schema(), ""),
                    read(files, tableFiles.get(i)), keyIndex(t), columns(t), t.estimatedRows(),
                    plans.get(i).stream().map(c -> new PlannedChunk(c.where(), c.params())).toList()));
        }
        return new PlanJournal.Plan(planId, files.dumpId(), out);
    }

    private static String read(DumpFiles files, String relative) throws IOException {
        return Files.readString(files.resolve(relative), StandardCharsets.UTF_8);
    }

    static List<DumpedColumn> columns(TableInfo t) {
        return t.dumpColumns().stream().map(c -> new DumpedColumn(c.name(), c.dataType())).toList();
    }

    private static String keyIndex(TableInfo t) {
        return t.key() == null ? null : t.key().indexName();
    }
}
