namespace Presence.Web.Tests.Infrastructure;

/// <summary>A temporary SQLite database file (deleted on dispose), or a PostgreSQL database when given.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string? _directory;

    private TempDatabase(string provider, string connectionString, string? directory)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _directory = directory;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public static TempDatabase Sqlite()
    {
        var dir = Path.Combine(Path.GetTempPath(), "presence-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return new TempDatabase("Sqlite", $"Data Source={Path.Combine(dir, "presence.db")}", dir);
    }

    /// <summary>A SQLite file <c>presence.db</c> in an existing <paramref name="directory"/> (deleted with it on dispose).</summary>
    public static TempDatabase SqliteIn(string directory) =>
        new("Sqlite", $"Data Source={Path.Combine(directory, "presence.db")}", directory);

    public static TempDatabase Postgres(string connectionString) => new("Postgres", connectionString, null);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_directory is not null && Directory.Exists(_directory))
        {
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        }
    }
}

/// <summary>One service on one temporary SQLite file shared by the tests of a class.</summary>
public sealed class AppFixture : IDisposable
{
    public AppFixture()
    {
        Database = TempDatabase.Sqlite();
        App = new PresenceApp(Database);
        _ = App.Server; // start now
    }

    public TempDatabase Database { get; }

    public PresenceApp App { get; }

    public void Dispose()
    {
        App.Dispose();
        Database.Dispose();
    }
}
