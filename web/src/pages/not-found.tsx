import { useTitle } from "../hooks.ts";
import { BASE, Link } from "../router.tsx";

export function NotFoundPage() {
  useTitle("Not found");
  return (
    <>
      <h1 className="my-4 text-2xl font-bold">Page not found</h1>
      <p>
        There is no such page. <Link href={`${BASE}/`}>See your tasks</Link>.
      </p>
    </>
  );
}
