/** Who is signed in (GET /api/v1/me), for every page. */
import { createContext, useContext } from "react";
import type { Me } from "./types.ts";

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe outside a signed-in page");
  return me;
}
