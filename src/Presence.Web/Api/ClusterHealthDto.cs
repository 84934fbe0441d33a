namespace Presence.Web.Api;

/// <summary>The cluster as this node sees it (docs/ARCHITECTURE.md, "Several nodes").</summary>
/// <param name="Node">This node's name (<c>Presence:Cluster:NodeName</c>).</param>
/// <param name="Role">This node's role: its XMPP link state (<c>Online</c> on the holder, <c>Standby</c>), or <c>Disabled</c>.</param>
/// <param name="AppliedSequence">This node's change log position.</param>
/// <param name="Lag">Change log entries not applied yet, as of the last read.</param>
/// <param name="CaughtUp">Whether the node has read up to the end of the log since it started (it is not ready before).</param>
/// <param name="Nodes">Every node seen, with name, role, last heartbeat (UTC) and lag.</param>
public sealed record ClusterHealthDto(string Node, string Role, long AppliedSequence, long Lag, bool CaughtUp, List<Cluster.ClusterNodeStatus> Nodes);
