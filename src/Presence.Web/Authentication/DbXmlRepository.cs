using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Presence.Web.Data;
using Presence.Web.Data.Entities;

namespace Presence.Web.Authentication;

/// <summary>
/// Keeps the Data Protection key ring in table <c>DataProtectionKeys</c>, so encrypted client secrets stay readable
/// after a restart and on every node sharing the database.
/// </summary>
internal sealed class DbXmlRepository(IServiceProvider services) : IXmlRepository
{
    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = services.GetRequiredService<IDbContextFactory<PresenceDbContext>>().CreateDbContext();
        return [.. db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToList().Select(x => XElement.Parse(x))];
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = services.GetRequiredService<IDbContextFactory<PresenceDbContext>>().CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKeyRow { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
