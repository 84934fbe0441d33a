using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Presence.Web.Data.Entities;

namespace Presence.Web.Data.Configurations;

/// <summary>Table <c>AdminAudit</c> (indexed by time).</summary>
internal sealed class AdminAuditConfiguration : IEntityTypeConfiguration<AdminAuditRow>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<AdminAuditRow> b)
    {
        b.ToTable("AdminAudit");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.Property(x => x.Actor).HasMaxLength(256);
        b.Property(x => x.Action).HasMaxLength(64);
        b.HasIndex(x => x.At).HasDatabaseName("IX_AdminAudit_At");
    }
}
