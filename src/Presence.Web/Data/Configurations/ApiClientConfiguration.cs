using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Presence.Web.Data.Entities;

namespace Presence.Web.Data.Configurations;

/// <summary>Table <c>ApiClients</c> (unique name).</summary>
internal sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClientRow>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<ApiClientRow> b)
    {
        b.ToTable("ApiClients");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Scopes).HasMaxLength(64);
        b.HasIndex(x => x.Name).IsUnique().HasDatabaseName("IX_ApiClients_Name");
    }
}
