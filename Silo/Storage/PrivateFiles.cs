namespace TrackGrains.Silo.Storage;

/// <summary>
/// The data folder and the files in it (database, -wal, -shm, key ring, admin token) are the server's alone:
/// folders it creates are 0700 and its files 0600 on Unix, whatever the umask.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>SQLite's companions of a database file; it creates them with the database file's own mode.</summary>
    public static readonly IReadOnlyList<string> SqliteCompanions = ["-wal", "-shm", "-journal"];

    /// <summary>Creates the folder (and missing parents) owner-only; an existing folder is left as the operator made it.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, FolderMode);
        }
    }

    /// <summary>
    /// Creates the SQLite file empty and owner-only before SQLite opens it (SQLite gives -wal and -shm the mode of
    /// the database file), and tightens a file, and its companions, that an earlier version left readable.
    /// </summary>
    public static void PrepareDatabaseFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        if (!File.Exists(path))
        {
            try
            {
                using var created = new FileStream(path, new FileStreamOptions
                {
                    Mode = System.IO.FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = FileMode,
                });
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process of the cluster created it meanwhile.
            }
        }
        Restrict(path);
        foreach (var suffix in SqliteCompanions)
        {
            Restrict(path + suffix);
        }
    }

    /// <summary>Makes an existing file owner-only (read and write).</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }
        try
        {
            if (File.GetUnixFileMode(path) != FileMode)
            {
                File.SetUnixFileMode(path, FileMode);
            }
        }
        catch (FileNotFoundException)
        {
            // SQLite removed a companion file between the check and the change.
        }
    }
}
