using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Presence.Web.Data;

namespace Presence.Web.Configuration;

/// <summary>
/// With the SQLite provider, checks that <c>ConnectionStrings:Presence</c> parses and names a file the service can
/// create or write (its directory exists and is writable), so a wrong path stops the service with one line instead
/// of a stack trace from the first migration. In-memory databases are accepted; PostgreSQL is checked by its health check.
/// </summary>
internal sealed class SqliteFileValidator(IConfiguration configuration) : IValidateOptions<DatabaseOptions>
{
    private const string Key = "ConnectionStrings:" + DatabaseRegistration.ConnectionStringName;

    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!string.Equals(options.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase)) return ValidateOptionsResult.Success;
        var connectionString = configuration.GetConnectionString(DatabaseRegistration.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString)) connectionString = "Data Source=presence.db"; // the default, here
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"{Key}: not a valid SQLite connection string ({ex.Message}); expected e.g. 'Data Source=/var/lib/presence/presence.db'.");
        }
        var path = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || path is "" or ":memory:") return ValidateOptionsResult.Success;
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? "/";
        if (!Directory.Exists(directory))
        {
            return ValidateOptionsResult.Fail($"{Key}: the directory '{directory}' of the SQLite database does not exist; expected a path in an existing, writable directory.");
        }
        if (!CanWrite(full, directory))
        {
            return ValidateOptionsResult.Fail($"{Key}: the SQLite database '{full}' is not writable by this process; expected a path in an existing, writable directory.");
        }
        if (!SingleNodeLock.TryHold(full))
        {
            return ValidateOptionsResult.Fail($"{Key}: the SQLite database '{full}' is already used by another running Presence node; SQLite serves one node only — run several nodes on PostgreSQL (Presence:Database:Provider=Postgres).");
        }
        return ValidateOptionsResult.Success;
    }

    private static bool CanWrite(string file, string directory)
    {
        try
        {
            if (Directory.Exists(file)) return false;
            if (File.Exists(file))
            {
                using (File.Open(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite)) { }
            }
            var probe = Path.Combine(directory, $".presence-write-check-{Environment.ProcessId}");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
