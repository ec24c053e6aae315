/** Previous / next for a paged list, with where the user is; nothing when there is one page. */
export function Pager({
  label,
  page,
  pageCount,
  onPage,
  testId,
}: {
  label: string;
  page: number;
  pageCount: number;
  onPage: (page: number) => void;
  testId?: string;
}) {
  if (pageCount <= 1) return null;
  return (
    <nav class="pager row" aria-label={`${label} pages`} data-testid={testId}>
      <button type="button" class="button small" disabled={page === 0} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span class="small" aria-live="polite">
        Page {page + 1} of {pageCount}
      </span>
      <button type="button" class="button small" disabled={page >= pageCount - 1} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
