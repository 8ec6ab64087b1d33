using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TrackGrains.Silo.Storage;

/// <summary>
/// A consistent copy of the live SQLite file, taken while the server keeps reading and writing it.
/// </summary>
/// <remarks>
/// A file copy of a WAL database can miss the writes still in the <c>-wal</c> file or catch a page
/// half written. SQLite's online backup API copies the pages as one read transaction sees them: WAL
/// lets writers go on meanwhile, and the copy is the database as of one commit. The copy goes to a
/// temporary name beside the target and gets its final name only after it passed
/// <c>PRAGMA integrity_check</c>, so a file with the target's name is always a whole backup.
/// </remarks>
public static class SqliteBackup
{
    // Generous: the only lock the backup needs is a read snapshot, which WAL grants at once unless a
    // checkpoint is resetting the log at that moment.
    private const int BusyTimeoutMilliseconds = 30_000;

    /// <summary>Writes a snapshot of <paramref name="databasePath"/> to <paramref name="targetPath"/>, which must not exist.</summary>
    /// <exception cref="SqliteBackupException">The source is missing, the target exists, its folder cannot be
    /// written, or the snapshot failed; the message says what to do.</exception>
    public static SqliteBackupResult Create(string databasePath, string targetPath)
    {
        var source = Path.GetFullPath(databasePath);
        var target = Path.GetFullPath(targetPath);
        if (!File.Exists(source))
        {
            throw new SqliteBackupException(
                $"there is no database at '{source}': check Storage:Database (a relative path is under the content root).");
        }
        if (File.Exists(target) || Directory.Exists(target))
        {
            throw new SqliteBackupException($"'{target}' already exists; a backup never overwrites a file: choose a new name.");
        }

        var folder = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        CreateEmptyPrivateFile(folder, temporary);
        try
        {
            var trackCount = Snapshot(source, temporary);
            // Without overwrite: a file that appeared at the target meanwhile is kept, and this fails.
            File.Move(temporary, target, overwrite: false);
            return new SqliteBackupResult(target, new FileInfo(target).Length, trackCount);
        }
        catch (IOException ex)
        {
            throw new SqliteBackupException(File.Exists(target)
                ? $"'{target}' appeared while the backup was written; it was left as it is, and the new copy discarded."
                : $"the finished copy could not be given the name '{target}' ({ex.Message}).");
        }
        finally
        {
            DeleteIfPresent(temporary);
        }
    }

    /// <summary>As <see cref="Create"/>, on the thread pool: Microsoft.Data.Sqlite has no asynchronous I/O.</summary>
    public static Task<SqliteBackupResult> CreateAsync(string databasePath, string targetPath, CancellationToken cancellationToken = default) =>
        Task.Run(() => Create(databasePath, targetPath), cancellationToken);

    private static void CreateEmptyPrivateFile(string folder, string path)
    {
        try
        {
            Directory.CreateDirectory(folder);
            // The copy holds what the database holds (key accounting, secrets): owner-only, like the data folder's files.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using var _ = new FileStream(path, options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SqliteBackupException($"cannot write to the folder '{folder}' ({ex.Message}); choose a folder this user can write to.");
        }
    }

    /// <summary>Copies every page as of one read transaction, checks the copy, and returns its track count.</summary>
    private static long Snapshot(string source, string destination)
    {
        try
        {
            using (var from = Open(source, SqliteOpenMode.ReadWrite))
            using (var to = Open(destination, SqliteOpenMode.ReadWrite))
            {
                from.BackupDatabase(to);
            }

            using var copy = Open(destination, SqliteOpenMode.ReadWrite);
            var integrity = Rows(copy, "PRAGMA integrity_check;");
            if (integrity is not ["ok"])
            {
                throw new SqliteBackupException(
                    $"the copy failed PRAGMA integrity_check ({string.Join("; ", integrity.Take(3))}); the database itself may be damaged: " +
                    "run 'sqlite3 <database> \"PRAGMA integrity_check\"' on it and keep your previous backups.");
            }
            return Convert.ToInt64(Rows(copy, "SELECT COUNT(*) FROM tracks;").Single(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException ex)
        {
            throw new SqliteBackupException($"the snapshot could not be written ({ex.Message}); check the free space and the target folder.");
        }
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            // Closed for real when disposed: the temporary file is renamed right after.
            Pooling = false,
        }.ToString());
        connection.Open();
        Rows(connection, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture)};");
        return connection;
    }

    private static List<string> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "");
        }
        return rows;
    }

    private static void DeleteIfPresent(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }
    }
}

/// <param name="Path">The backup file, full path.</param>
/// <param name="SizeBytes">Its size.</param>
/// <param name="TrackCount">Rows in its <c>tracks</c> table.</param>
public sealed record SqliteBackupResult(string Path, long SizeBytes, long TrackCount);

/// <summary>A backup that could not be made, with a message that says what to do (no stack trace needed).</summary>
public sealed class SqliteBackupException(string message) : Exception(message);
