using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Presence.Web.Data.Entities;

namespace Presence.Web.Data.Configurations;

/// <summary>Table <c>ComponentSubscribers</c>.</summary>
internal sealed class ComponentSubscriberConfiguration : IEntityTypeConfiguration<ComponentSubscriberRow>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<ComponentSubscriberRow> b)
    {
        b.ToTable("ComponentSubscribers");
        b.HasKey(x => x.BareJid);
        b.Property(x => x.BareJid).HasMaxLength(PresenceDbContext.UserIdMaxLength);
    }
}
