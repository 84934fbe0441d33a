using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Presence.Web.Data.Entities;

namespace Presence.Web.Data.Configurations;

/// <summary>Table <c>XmppResources</c> (current available resources, key user + resource).</summary>
internal sealed class XmppResourceConfiguration : IEntityTypeConfiguration<XmppResourceRow>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<XmppResourceRow> b)
    {
        b.ToTable("XmppResources");
        b.HasKey(x => new { x.UserId, x.Resource });
        b.Property(x => x.UserId).HasMaxLength(PresenceDbContext.UserIdMaxLength);
        b.Property(x => x.Resource).HasMaxLength(1023);
        b.Property(x => x.Show).HasMaxLength(16);
        b.Property(x => x.Ip).HasMaxLength(64);
        b.Property(x => x.Hostname).HasMaxLength(255);
        b.Property(x => x.AnnotationKind).HasMaxLength(32);
    }
}
