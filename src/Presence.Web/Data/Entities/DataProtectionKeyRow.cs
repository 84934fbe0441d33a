namespace Presence.Web.Data.Entities;

/// <summary>An ASP.NET Data Protection key (table <c>DataProtectionKeys</c>), so secrets stay readable across restarts and nodes.</summary>
public sealed class DataProtectionKeyRow
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The key's friendly name.</summary>
    public string? FriendlyName { get; set; }

    /// <summary>The key's XML.</summary>
    public string Xml { get; set; } = "";
}
