using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Presence.Web.Data.Entities;

namespace Presence.Web.Data.Configurations;

/// <summary>Table <c>ProtocolStatuses</c> (current state, key user + protocol).</summary>
internal sealed class ProtocolStatusConfiguration : IEntityTypeConfiguration<ProtocolStatusRow>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<ProtocolStatusRow> b)
    {
        b.ToTable("ProtocolStatuses");
        b.HasKey(x => new { x.UserId, x.Protocol });
        b.Property(x => x.UserId).HasMaxLength(PresenceDbContext.UserIdMaxLength);
        b.Property(x => x.Protocol).HasMaxLength(32);
        b.Property(x => x.State).HasMaxLength(16);
        b.Property(x => x.Show).HasMaxLength(16);
        b.Property(x => x.AnnotationKind).HasMaxLength(32);
    }
}
