using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Egov.Steering.Membership.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeysetPagingIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_posts_sort_key",
                table: "posts");

            migrationBuilder.DropIndex(
                name: "ix_people_sort_key",
                table: "people");

            migrationBuilder.CreateIndex(
                name: "ix_posts_sort_key_id",
                table: "posts",
                columns: new[] { "sort_key", "id" })
                .Annotation("Relational:Collation", new[] { "C", "C" });

            migrationBuilder.CreateIndex(
                name: "ix_people_sort_key_id",
                table: "people",
                columns: new[] { "sort_key", "id" })
                .Annotation("Relational:Collation", new[] { "C", "C" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_posts_sort_key_id",
                table: "posts");

            migrationBuilder.DropIndex(
                name: "ix_people_sort_key_id",
                table: "people");

            migrationBuilder.CreateIndex(
                name: "ix_posts_sort_key",
                table: "posts",
                column: "sort_key");

            migrationBuilder.CreateIndex(
                name: "ix_people_sort_key",
                table: "people",
                column: "sort_key");
        }
    }
}
