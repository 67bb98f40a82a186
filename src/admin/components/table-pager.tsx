import { Table } from "@medusajs/ui"

/** The page size of the admin's lists (policies, held orders). */
export const PAGE_SIZE = 20

/** Medusa's table pagination for a list of `count` rows shown PAGE_SIZE at a time, page `page` (from 0). */
export function TablePager({ count, page, onPage }: { count: number; page: number; onPage: (page: number) => void }) {
  return (
    <Table.Pagination
      count={count}
      pageSize={PAGE_SIZE}
      pageIndex={page}
      pageCount={Math.max(1, Math.ceil(count / PAGE_SIZE))}
      canPreviousPage={page > 0}
      canNextPage={(page + 1) * PAGE_SIZE < count}
      previousPage={() => onPage(Math.max(0, page - 1))}
      nextPage={() => onPage(page + 1)}
    />
  )
}
