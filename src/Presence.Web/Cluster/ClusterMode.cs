using Npgsql;

namespace Presence.Web.Cluster;

/// <summary>
/// Whether this node runs as a member of a cluster (the PostgreSQL provider: several nodes may share the database) and
/// with which change log and connection string; on SQLite <see cref="Log"/> is <c>null</c> and nothing is replicated.
/// </summary>
public sealed class ClusterMode
{
    /// <summary>Creates the mode.</summary>
    /// <param name="nodeName">This node's name (<c>Presence:Cluster:NodeName</c>).</param>
    /// <param name="postgresConnectionString">The PostgreSQL connection string, or <c>null</c> on SQLite.</param>
    public ClusterMode(string nodeName, string? postgresConnectionString)
    {
        NodeName = nodeName;
        if (postgresConnectionString is null) return;
        var builder = new NpgsqlConnectionStringBuilder(postgresConnectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = nodeName;
        ConnectionString = builder.ConnectionString;
        Log = new ChangeLog(nodeName);
    }

    /// <summary>This node's name, in logs, the change log and <c>/healthz</c>.</summary>
    public string NodeName { get; }

    /// <summary>The change log (PostgreSQL), or <c>null</c> (a single node on SQLite).</summary>
    public ChangeLog? Log { get; }

    /// <summary>The PostgreSQL connection string with this node's name as <c>Application Name</c> (unless one was set).</summary>
    public string? ConnectionString { get; }

    /// <summary>True with the change log (PostgreSQL).</summary>
    public bool Enabled => Log is not null;
}
