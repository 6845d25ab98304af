import { createContext, useContext } from "react";

// The nonce is only known on the server; in the browser the value is "" (browsers hide it anyway).
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
