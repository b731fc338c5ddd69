import { createContext, useContext } from "react";

const RequestIdContext = createContext<string>("");
export const RequestIdProvider = RequestIdContext.Provider;
/** The id of the request this page was rendered for; a 500 page shows it, the log carries it. */
export const useRequestId = () => useContext(RequestIdContext);
