namespace Presence.Web.Data.Entities;

/// <summary>One administrative action (table <c>AdminAudit</c>): who did what, when, with detail.</summary>
public sealed class AdminAuditRow
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>Who (user name of the admin, or <c>system</c>).</summary>
    public string Actor { get; set; } = "";

    /// <summary>What, e.g. <c>api-client.create</c>, <c>api-client.rotate</c>, <c>api-client.revoke</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>Free-text detail (never a secret).</summary>
    public string? Detail { get; set; }
}
