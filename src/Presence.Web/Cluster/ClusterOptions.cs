using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Presence.Xmpp.Hosting;

namespace Presence.Web.Cluster;

/// <summary>This node's place in a cluster of services sharing one PostgreSQL database, section <c>Presence:Cluster</c>.</summary>
public sealed class ClusterOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Cluster";

    /// <summary>Longest node name: 63 characters, PostgreSQL's limit for <c>application_name</c> (NAMEDATALEN − 1).</summary>
    public const int MaxNodeNameLength = 63;

    /// <summary>
    /// This node's name in logs, <c>/healthz</c>, the admin XMPP page and PostgreSQL's <c>pg_stat_activity.application_name</c>
    /// of the connection holding (or waiting for) the XMPP component's lock: 1 to 63 letters, digits, <c>.</c>, <c>-</c>
    /// or <c>_</c>, starting with a letter or digit. Empty (default): the machine name and the process id (e.g. <c>web1-4711</c>).
    /// </summary>
    public string? NodeName { get; set; }

    /// <summary>The name in use: <see cref="NodeName"/>, or the default made to fit the rules of <see cref="NodeName"/>.</summary>
    public string EffectiveNodeName => string.IsNullOrEmpty(NodeName) ? DefaultNodeName() : NodeName;

    private static string DefaultNodeName()
    {
        var name = Regex.Replace(SingleNodeLeadership.DefaultNodeName, "[^A-Za-z0-9._-]", "_");
        return name.Length <= MaxNodeNameLength ? name : name[^MaxNodeNameLength..];
    }
}

/// <summary>Checks <see cref="ClusterOptions.NodeName"/> on start (a bad value stops the service naming the key).</summary>
internal sealed partial class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options) =>
        string.IsNullOrEmpty(options.NodeName) || NodeName().IsMatch(options.NodeName)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{ClusterOptions.Section}:NodeName must be 1 to {ClusterOptions.MaxNodeNameLength} letters, digits, '.', '-' or '_' "
                                         + $"starting with a letter or digit (it names this node in logs and in PostgreSQL's application_name), got '{options.NodeName}'.");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex NodeName();
}
