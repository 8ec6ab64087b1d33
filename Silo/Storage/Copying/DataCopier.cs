using System.Diagnostics;

namespace TrackGrains.Silo.Storage.Copying;

/// <summary>
/// Moves a stopped SQLite server's data into an empty PostgreSQL database: grain state (payloads byte for
/// byte, versions kept so ETags still match), reminders, and every read-model table, all or nothing.
/// </summary>
/// <remarks>
/// Tables and columns are discovered from both schemas rather than listed here, and each value is
/// converted by the type of the column it goes into (<see cref="TargetColumn"/>), so a read-model table
/// added by a later script is copied without a change here. Membership, the provider queries and the
/// schema versions are not copied (<see cref="SqliteSource.NotCopied"/>). Rows stream from the SQLite
/// reader into a binary COPY per table, so memory stays flat however large the library; everything goes
/// into one transaction, committed only after every table's count in the target equals the source's.
/// </remarks>
public static class DataCopier
{
    /// <exception cref="CopyRefusedException">The source or target may not be copied from or into; nothing was written.</exception>
    /// <exception cref="InvalidDataException">A value does not fit its target column; nothing was written.</exception>
    public static async Task<CopyReport> CopyAsync(string sqlitePath, string postgresConnectionString, CancellationToken cancellationToken = default)
    {
        var elapsed = Stopwatch.StartNew();
        var (source, upgraded) = SqliteSource.Open(sqlitePath);
        using (source)
        {
            await using var target = await PostgresTarget.PrepareAsync(postgresConnectionString, cancellationToken);
            var plans = Plan(source.Tables(), await target.TablesAsync(cancellationToken));
            var counts = new List<TableCount>();
            foreach (var plan in plans)
            {
                var sourceCount = source.Count(plan.Source.Name);
                await target.ImportAsync(plan.Target.Name, plan.Columns, Read(source, plan, cancellationToken), cancellationToken);
                counts.Add(new TableCount(plan.Source.Name, sourceCount, await target.CountAsync(plan.Target.Name, cancellationToken)));
            }
            var report = new CopyReport(counts, source.ServiceIds(), upgraded, elapsed.Elapsed);
            if (report.AllCountsMatch)
            {
                await target.CommitAsync(cancellationToken);
            }
            // Otherwise disposing the target rolls everything back.
            return report with { Elapsed = elapsed.Elapsed };
        }
    }

    private static List<TablePlan> Plan(IReadOnlyList<SourceTable> sourceTables, IReadOnlyDictionary<string, TargetTable> targetTables)
    {
        var plans = new List<TablePlan>();
        foreach (var table in sourceTables)
        {
            if (!targetTables.TryGetValue(table.Name, out var target))
            {
                throw new CopyRefusedException($"the source table {table.Name} has no counterpart in this build's PostgreSQL schema; its rows would be lost.");
            }
            var columns = new List<TargetColumn>();
            foreach (var name in table.Columns)
            {
                var column = target.Column(name);
                if (column is null || column.Generated)
                {
                    throw new CopyRefusedException($"the source column {table.Name}.{name} has no counterpart in this build's PostgreSQL schema; its values would be lost.");
                }
                columns.Add(TargetColumn.For(column.Name, column.DataType)
                    ?? throw new CopyRefusedException($"copy-data cannot fill the PostgreSQL column {target.Name}.{column.Name} of type {column.DataType} from SQLite."));
            }
            plans.Add(new TablePlan(table, target, columns));
        }
        return plans;
    }

    /// <summary>The rows of one source table as the target's values. Synchronous: Microsoft.Data.Sqlite has no asynchronous I/O.</summary>
    private static IEnumerable<object?[]> Read(SqliteSource source, TablePlan plan, CancellationToken cancellationToken)
    {
        using var reader = source.Read(plan.Source.Name, plan.Source.Columns);
        var row = 0L;
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            row++;
            var values = new object?[plan.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                if (reader.IsDBNull(i))
                {
                    continue;
                }
                var value = reader.GetValue(i);
                try
                {
                    values[i] = plan.Columns[i].Convert(value);
                }
                catch (Exception ex) when (ex is FormatException or OverflowException)
                {
                    throw new InvalidDataException($"{plan.Source.Name}.{plan.Source.Columns[i]}, row {row}: {ex.Message}.", ex);
                }
            }
            yield return values;
        }
    }

    private sealed record TablePlan(SourceTable Source, TargetTable Target, IReadOnlyList<TargetColumn> Columns);
}
